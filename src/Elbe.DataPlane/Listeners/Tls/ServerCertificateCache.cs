using System.Security.Cryptography;
using Elbe.Model.Resources;
using Microsoft.Extensions.Logging;

namespace Elbe.DataPlane.Listeners.Tls;

/// <summary>
/// Loaded certificates by (ARN, version), so a configuration apply only parses what was imported or re-imported
/// since the last one. A rotation (same ARN, new version) loads the new version; the old one is dropped from the
/// cache but stays alive for the connections and snapshots still holding it.
/// </summary>
public sealed class ServerCertificateCache(ILogger logger)
{
    private Dictionary<(string Arn, int Version), ServerCertificate> _loaded = [];
    private Dictionary<string, ServerCertificate> _byArn = new(StringComparer.Ordinal);

    /// <summary>Brings the cache to the configuration's certificates. Called under the data plane's apply gate.</summary>
    public void Refresh(IEnumerable<Certificate> certificates)
    {
        var loaded = new Dictionary<(string, int), ServerCertificate>();
        var byArn = new Dictionary<string, ServerCertificate>(StringComparer.Ordinal);
        foreach (var certificate in certificates)
        {
            var key = (certificate.Arn, certificate.Version);
            if (!_loaded.TryGetValue(key, out var server))
            {
                try
                {
                    server = ServerCertificate.Load(certificate);
                }
                catch (CryptographicException e)
                {
                    logger.LogError("Certificate {Arn} (version {Version}) cannot be used for TLS: {Error}", certificate.Arn, certificate.Version, e.Message);
                    continue;
                }
            }
            loaded[key] = server;
            byArn[certificate.Arn] = server;
        }
        _loaded = loaded;
        _byArn = byArn;
    }

    public ServerCertificate? Find(string arn) => _byArn.GetValueOrDefault(arn);
}
