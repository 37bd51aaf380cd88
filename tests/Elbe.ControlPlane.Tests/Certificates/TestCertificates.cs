using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Elbe.Tests.Certificates;

/// <summary>A certificate as a user would hand it to ImportCertificate: PEM leaf, PEM key, PEM chain (maybe empty).</summary>
internal sealed record TestCertificate(string CertificatePem, string PrivateKeyPem, string ChainPem, string Serial)
{
    public string DomainName { get; init; } = "";
}

public enum TestKeyType { Rsa2048, Rsa4096, EcP256, EcP384, EcP224 }

/// <summary>
/// Certificates made on the spot with CertificateRequest, so tests need no files: self-signed leaves with RSA or
/// ECDSA keys, any validity window, and a root → intermediate → leaf chain.
/// </summary>
internal static class TestCertificates
{
    public static TestCertificate SelfSigned(string domain = "www.example.com", TestKeyType keyType = TestKeyType.Rsa2048,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, params string[] alternativeNames)
    {
        using var key = CreateKey(keyType);
        var request = Request($"CN={domain}, O=Elbe Tests", key, [domain, .. alternativeNames], isAuthority: false);
        using var certificate = SelfSign(request, notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(90));
        return new TestCertificate(certificate.ExportCertificatePem() + "\n", ExportKeyPem(key), "", certificate.SerialNumber) { DomainName = domain };
    }

    /// <summary>A leaf issued by an intermediate issued by a root; the chain is intermediate then root.</summary>
    public static TestCertificate IssuedThroughIntermediate(string domain = "chained.example.com")
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = SelfSign(Request("CN=Elbe Test Root", rootKey, [], isAuthority: true), now.AddDays(-2), now.AddYears(2));
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var intermediate = Request("CN=Elbe Test Intermediate", intermediateKey, [], isAuthority: true)
            .Create(root, now.AddDays(-1), now.AddYears(1), NewSerial());
        using var leafKey = RSA.Create(2048);
        // An RSA leaf under an ECDSA issuer: the signature generator overload lets the key types differ.
        using var leaf = Request($"CN={domain}", leafKey, [domain], isAuthority: false)
            .Create(intermediate.SubjectName, X509SignatureGenerator.CreateForECDsa(intermediateKey), now.AddHours(-1), now.AddDays(30), NewSerial());
        var chain = intermediate.ExportCertificatePem() + "\n" + root.ExportCertificatePem() + "\n";
        return new TestCertificate(leaf.ExportCertificatePem() + "\n", ExportKeyPem(leafKey), chain, leaf.SerialNumber) { DomainName = domain };
    }

    public static string ExportKeyPem(AsymmetricAlgorithm key) => key.ExportPkcs8PrivateKeyPem() + "\n";

    public static AsymmetricAlgorithm CreateKey(TestKeyType keyType) => keyType switch
    {
        TestKeyType.Rsa2048 => RSA.Create(2048),
        TestKeyType.Rsa4096 => RSA.Create(4096),
        TestKeyType.EcP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        TestKeyType.EcP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        TestKeyType.EcP224 => ECDsa.Create(ECCurve.CreateFromValue("1.3.132.0.33")),
        _ => throw new ArgumentOutOfRangeException(nameof(keyType)),
    };

    private static CertificateRequest Request(string subject, AsymmetricAlgorithm key, string[] dnsNames, bool isAuthority)
    {
        var request = key switch
        {
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
            _ => throw new ArgumentException("RSA or ECDSA keys only", nameof(key)),
        };
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(isAuthority, false, 0, isAuthority));
        if (isAuthority)
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        }
        else
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, false));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        }
        if (dnsNames.Length > 0)
        {
            var names = new SubjectAlternativeNameBuilder();
            foreach (var name in dnsNames) names.AddDnsName(name);
            request.CertificateExtensions.Add(names.Build());
        }
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    // CreateSelfSigned accepts a window entirely in the past, so expired leaves are possible.
    private static X509Certificate2 SelfSign(CertificateRequest request, DateTimeOffset notBefore, DateTimeOffset notAfter) =>
        request.CreateSelfSigned(notBefore, notAfter);

    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F; // a positive INTEGER, as RFC 5280 requires
        return serial;
    }
}
