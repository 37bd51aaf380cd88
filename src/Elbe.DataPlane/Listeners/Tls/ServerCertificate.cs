using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Elbe.Routing.Tls;

namespace Elbe.DataPlane.Listeners.Tls;

/// <summary>
/// One version of an imported certificate, ready for handshakes: the TLS stack's certificate context (leaf, key
/// and chain, built once) and what SNI selection compares.
/// </summary>
public sealed class ServerCertificate
{
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";

    private ServerCertificate(string arn, int version, SslStreamCertificateContext context, ServerCertificateCandidate candidate)
    {
        Arn = arn;
        Version = version;
        Context = context;
        Candidate = candidate;
    }

    public string Arn { get; }
    public int Version { get; }
    public SslStreamCertificateContext Context { get; }
    public ServerCertificateCandidate Candidate { get; }

    /// <exception cref="CryptographicException">The PEM does not hold a certificate and its matching key.</exception>
    public static ServerCertificate Load(Model.Resources.Certificate certificate)
    {
        var leaf = X509Certificate2.CreateFromPem(certificate.CertificatePem, certificate.PrivateKeyPem);
        var chain = new X509Certificate2Collection();
        if (!string.IsNullOrWhiteSpace(certificate.CertificateChainPem)) chain.ImportFromPem(certificate.CertificateChainPem);
        // offline: the chain is what was imported; the handshake path must never fetch intermediates.
        var context = SslStreamCertificateContext.Create(leaf, chain, offline: true);
        return new ServerCertificate(certificate.Arn, certificate.Version, context, Describe(leaf));
    }

    /// <summary>The same certificate, its handshakes naming <paramref name="authorities"/> as the client certificate issuers it accepts.</summary>
    public SslStreamCertificateContext WithAdvertisedAuthorities(X509Certificate2Collection authorities) =>
        SslStreamCertificateContext.Create(Context.TargetCertificate, [.. Context.IntermediateCertificates], offline: true,
            SslCertificateTrust.CreateForX509Collection(authorities, sendTrustInHandshake: true));

    private static ServerCertificateCandidate Describe(X509Certificate2 leaf)
    {
        var names = new List<string>();
        foreach (var extension in leaf.Extensions)
            if (extension is X509SubjectAlternativeNameExtension san)
                names.AddRange(san.EnumerateDnsNames());
        if (names.Count == 0 && leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: false) is { Length: > 0 } commonName)
            names.Add(commonName);

        var isEc = leaf.GetKeyAlgorithm() == EcPublicKeyOid;
        int keySize;
        if (isEc)
        {
            using var ec = leaf.GetECDsaPublicKey();
            keySize = ec?.KeySize ?? 0;
        }
        else
        {
            using var rsa = leaf.GetRSAPublicKey();
            keySize = rsa?.KeySize ?? 0;
        }
        return new ServerCertificateCandidate(names, isEc ? TlsKeyAlgorithm.Ecdsa : TlsKeyAlgorithm.Rsa, keySize, leaf.NotAfter.ToUniversalTime());
    }
}
