using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Elbe.EndToEnd.Tests.Infrastructure;

/// <summary>A throwaway certificate for a TLS target: self-signed, which is exactly what ALB does not check.</summary>
public static class SelfSignedCertificate
{
    public static X509Certificate2 Create(string subjectName = "target.elbe.test")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subjectName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(subjectName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        // Reloaded from PKCS#12 so the private key is usable by the platform's TLS stack.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
