using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Elbe.Model.Resources;

/// <summary>
/// A trust store's CA certificates bundle: PEM text made of CERTIFICATE blocks only. Parsing keeps each
/// certificate's PEM so the stored bundle holds nothing but certificates that load.
/// </summary>
public sealed record TrustStoreCaBundle(string Pem, IReadOnlyList<X509Certificate2> Certificates)
{
    private const string CertificateLabel = "CERTIFICATE";

    /// <summary>Null when the bytes are not a PEM bundle of at least one well-formed X.509 certificate.</summary>
    public static TrustStoreCaBundle? Parse(ReadOnlySpan<byte> content)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(content);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        var certificates = new List<X509Certificate2>();
        var pem = new StringBuilder();
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (!rest[fields.Label].SequenceEqual(CertificateLabel)) return null;
            var der = new byte[fields.DecodedDataLength];
            if (!Convert.TryFromBase64Chars(rest[fields.Base64Data], der, out _)) return null;
            try
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(der));
            }
            catch (CryptographicException)
            {
                return null;
            }
            pem.Append(PemEncoding.Write(CertificateLabel, der)).Append('\n');
            rest = rest[fields.Location.End..];
        }
        return certificates.Count == 0 ? null : new TrustStoreCaBundle(pem.ToString(), certificates);
    }
}
