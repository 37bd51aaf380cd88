using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Elbe.Tests.Certificates;

/// <summary>
/// Certificates made in process, so tests need no files: self-signed leaves with any key type, SANs (wildcards too)
/// and validity window (expired or not yet valid included), certificate authorities with intermediates, the leaves
/// and client certificates they issue, and CRLs revoking some of them.
/// </summary>
public static class TestCertificates
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>A leaf shaped like one a user imports into ACM: key usages, server authentication, the domain as first SAN.</summary>
    public static TestCertificate SelfSigned(string domain = "www.example.com", TestKeyType keyType = TestKeyType.Rsa2048,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, params string[] alternativeNames)
    {
        using var key = CreateKey(keyType);
        var request = ImportableLeafRequest($"CN={domain}, O=Elbe Tests", key, [domain, .. alternativeNames]);
        // CreateSelfSigned accepts a window entirely in the past, so expired leaves are possible.
        return WithPem(request.CreateSelfSigned(notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(90)), key);
    }

    /// <summary>
    /// A bare TLS server certificate: only server authentication and the SANs. <paramref name="dnsNames"/> replaces the
    /// SAN list (the common name is not added), so SNI tests can tell certificates apart by common name.
    /// </summary>
    public static TestCertificate Server(string commonName, IEnumerable<string>? dnsNames = null, TestKeyType keyType = TestKeyType.Rsa2048)
    {
        using var key = CreateKey(keyType);
        var request = Request($"CN={commonName}", key, dnsNames ?? [commonName], issuer: null, identifyKey: false,
            new X509EnhancedKeyUsageExtension([ServerAuthentication], false));
        return WithPem(request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30)), key);
    }

    /// <summary>A self-signed RSA certificate authority named "CN=<paramref name="name"/>,O=Elbe Tests".</summary>
    public static TestCertificate Authority(string name) =>
        Authority($"CN={name},O=Elbe Tests", TestKeyType.Rsa2048, issuer: null, DateTimeOffset.UtcNow.AddDays(-90), DateTimeOffset.UtcNow.AddYears(1));

    /// <summary>A CA certificate issued by <paramref name="root"/>, for chains with an intermediate.</summary>
    public static TestCertificate Intermediate(TestCertificate root, string name) =>
        Authority($"CN={name},O=Elbe Tests", TestKeyType.Rsa2048, root, DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddDays(300));

    /// <summary>A server certificate issued by <paramref name="issuer"/>, with the issuer as its chain.</summary>
    public static TestCertificate ServerIssuedBy(TestCertificate issuer, string commonName)
    {
        using var key = CreateKey(TestKeyType.Rsa2048);
        var request = Request($"CN={commonName}", key, [commonName], issuer, identifyKey: false);
        return Issue(request, key, issuer, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), issuer.CertificatePem);
    }

    /// <summary>
    /// An importable RSA leaf issued by an ECDSA intermediate issued by an ECDSA root ("CN=Elbe Test Root",
    /// "CN=Elbe Test Intermediate"); the chain is intermediate then root.
    /// </summary>
    public static TestCertificate IssuedThroughIntermediate(string domain = "chained.example.com")
    {
        var now = DateTimeOffset.UtcNow;
        var root = Authority("CN=Elbe Test Root", TestKeyType.EcP256, issuer: null, now.AddDays(-2), now.AddYears(2));
        var intermediate = Authority("CN=Elbe Test Intermediate", TestKeyType.EcP256, root, now.AddDays(-1), now.AddYears(1));
        using var key = CreateKey(TestKeyType.Rsa2048);
        var request = ImportableLeafRequest($"CN={domain}", key, [domain], intermediate);
        return Issue(request, key, intermediate, now.AddHours(-1), now.AddDays(30), intermediate.CertificatePem + root.CertificatePem);
    }

    /// <param name="subject">An X.500 name, e.g. "CN=client,OU=x,O=mTLS,C=US".</param>
    public static TestCertificate Client(TestCertificate authority, string subject, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = CreateKey(TestKeyType.Rsa2048);
        var request = Request(subject, key, [], authority, identifyKey: false,
            new X509BasicConstraintsExtension(false, false, 0, false),
            new X509EnhancedKeyUsageExtension([ClientAuthentication], false));
        return Issue(request, key, authority, notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(30));
    }

    /// <summary>A CRL from <paramref name="authority"/> revoking the given certificates, as PEM.</summary>
    public static string RevocationList(TestCertificate authority, params TestCertificate[] revoked)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var certificate in revoked) builder.AddEntry(certificate.Certificate, DateTimeOffset.UtcNow.AddMinutes(-5));
        var der = builder.Build(authority.Certificate, BigInteger.One, DateTimeOffset.UtcNow.AddDays(7), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return PemEncoding.WriteString("X509 CRL", der) + "\n";
    }

    private static TestCertificate Authority(string subject, TestKeyType keyType, TestCertificate? issuer, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = CreateKey(keyType);
        // The mTLS authorities (RSA) have always carried DigitalSignature too; the importable ECDSA chain's never did.
        var usages = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | (keyType == TestKeyType.Rsa2048 ? X509KeyUsageFlags.DigitalSignature : 0);
        var request = Request(subject, key, [], issuer, identifyKey: true,
            new X509BasicConstraintsExtension(true, false, 0, true),
            new X509KeyUsageExtension(usages, true));
        return issuer is null
            ? WithPem(request.CreateSelfSigned(notBefore, notAfter), key)
            : Issue(request, key, issuer, notBefore, notAfter);
    }

    private static CertificateRequest ImportableLeafRequest(string subject, AsymmetricAlgorithm key, IEnumerable<string> dnsNames, TestCertificate? issuer = null) =>
        Request(subject, key, dnsNames, issuer, identifyKey: true,
            new X509BasicConstraintsExtension(false, false, 0, false),
            new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, false),
            new X509EnhancedKeyUsageExtension([ServerAuthentication], false));

    /// <summary>The one place requests are made: the given extensions, then SANs, key identifiers and the issuer's.</summary>
    private static CertificateRequest Request(string subject, AsymmetricAlgorithm key, IEnumerable<string> dnsNames, TestCertificate? issuer,
        bool identifyKey, params X509Extension[] extensions)
    {
        var request = key switch
        {
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
            _ => throw new ArgumentException("RSA or ECDSA keys only", nameof(key)),
        };
        foreach (var extension in extensions) request.CertificateExtensions.Add(extension);
        var names = new SubjectAlternativeNameBuilder();
        var anyName = false;
        foreach (var name in dnsNames)
        {
            names.AddDnsName(name);
            anyName = true;
        }
        if (anyName) request.CertificateExtensions.Add(names.Build());
        if (identifyKey) request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (issuer is not null) request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer.Certificate, true, false));
        return request;
    }

    // The signature generator overload lets the leaf's key type differ from its issuer's (an RSA leaf under an ECDSA CA).
    private static TestCertificate Issue(CertificateRequest request, AsymmetricAlgorithm key, TestCertificate issuer,
        DateTimeOffset notBefore, DateTimeOffset notAfter, string chainPem = "")
    {
        using var rsaIssuer = issuer.Certificate.GetRSAPrivateKey();
        using var ecIssuer = issuer.Certificate.GetECDsaPrivateKey();
        var generator = rsaIssuer is not null ? X509SignatureGenerator.CreateForRSA(rsaIssuer, RSASignaturePadding.Pkcs1)
            : ecIssuer is not null ? X509SignatureGenerator.CreateForECDsa(ecIssuer)
            : throw new ArgumentException("The issuer has no private key", nameof(issuer));
        using var issued = request.Create(issuer.Certificate.SubjectName, generator, notBefore, notAfter, NewSerial());
        var withKey = key switch
        {
            RSA rsa => issued.CopyWithPrivateKey(rsa),
            ECDsa ec => issued.CopyWithPrivateKey(ec),
            _ => throw new ArgumentException("RSA or ECDSA keys only", nameof(key)),
        };
        return WithPem(withKey, key, chainPem);
    }

    private static TestCertificate WithPem(X509Certificate2 certificate, AsymmetricAlgorithm key, string chainPem = "") =>
        new(certificate, certificate.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n", chainPem);

    private static AsymmetricAlgorithm CreateKey(TestKeyType keyType) => keyType switch
    {
        TestKeyType.Rsa2048 => RSA.Create(2048),
        TestKeyType.Rsa4096 => RSA.Create(4096),
        TestKeyType.EcP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        TestKeyType.EcP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        TestKeyType.EcP224 => ECDsa.Create(ECCurve.CreateFromValue("1.3.132.0.33")),
        _ => throw new ArgumentOutOfRangeException(nameof(keyType)),
    };

    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F; // a positive INTEGER, as RFC 5280 requires
        return serial;
    }
}
