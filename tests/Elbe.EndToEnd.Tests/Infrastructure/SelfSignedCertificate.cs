using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Elbe.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A throwaway ECDSA certificate, self-signed: for TLS targets (which ALB never verifies) and, imported as ACM
/// would take it, for a listener that a test's client trusts by thumbprint.
/// </summary>
public sealed class SelfSignedCertificate
{
    private SelfSignedCertificate(X509Certificate2 certificate, string certificatePem, string privateKeyPem)
    {
        Certificate = certificate;
        CertificatePem = certificatePem;
        PrivateKeyPem = privateKeyPem;
    }

    /// <summary>With its private key, usable by Kestrel.</summary>
    public X509Certificate2 Certificate { get; }
    public string CertificatePem { get; }
    public string PrivateKeyPem { get; }

    /// <summary>True for exactly this certificate: what a client that trusts it, and nothing else, checks.</summary>
    public bool IsThis(X509Certificate? presented) =>
        presented is not null && presented.GetCertHashString(HashAlgorithmName.SHA256) == Certificate.GetCertHashString(HashAlgorithmName.SHA256);

    public static SelfSignedCertificate Create(string subjectName = "target.elbe.test")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subjectName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(subjectName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        // Reloaded from PKCS#12 so the private key is usable by the platform's TLS stack.
        var usable = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        return new SelfSignedCertificate(usable, certificate.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n");
    }
}
