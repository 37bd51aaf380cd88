using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Elbe.EndToEnd.Tests.Infrastructure;

public enum TestKeyType { Rsa, Ecdsa }

/// <summary>A generated certificate with its key, as PEM text (what ACM imports) and as an X509Certificate2 (what .NET clients present).</summary>
public sealed record TestCertificate(X509Certificate2 Certificate, string CertificatePem, string PrivateKeyPem, string ChainPem = "")
{
    public string SerialNumber => Certificate.SerialNumber;
    public string CommonName => Certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);

    /// <summary>Writes certificate (with chain) and key files for openssl and curl; returns their paths.</summary>
    public (string Certificate, string Key) WriteFiles(string directory, string name)
    {
        var certificate = Path.Combine(directory, name + ".crt");
        var key = Path.Combine(directory, name + ".key");
        File.WriteAllText(certificate, CertificatePem + ChainPem);
        File.WriteAllText(key, PrivateKeyPem);
        return (certificate, key);
    }
}

/// <summary>
/// Certificates for the TLS tests, made in process: self-signed server certificates (RSA or ECDSA, with SANs and
/// wildcards), a test CA that issues client certificates, and CRLs revoking some of them.
/// </summary>
public static class TestCertificates
{
    private static long serial = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public static TestCertificate Server(string commonName, IEnumerable<string>? dnsNames = null, TestKeyType keyType = TestKeyType.Rsa)
    {
        using var key = NewKey(keyType);
        var request = Request($"CN={commonName}", key);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames ?? [commonName]) san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return new TestCertificate(certificate, certificate.ExportCertificatePem() + "\n", ExportKey(key));
    }

    public static TestCertificate Authority(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name},O=Elbe Tests", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-90), DateTimeOffset.UtcNow.AddYears(1));
        return new TestCertificate(certificate, certificate.ExportCertificatePem() + "\n", ExportKey(key));
    }

    /// <summary>A CA certificate issued by <paramref name="root"/>, for chains with an intermediate.</summary>
    public static TestCertificate Intermediate(TestCertificate root, string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name},O=Elbe Tests", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root.Certificate, true, false));
        using var issued = request.Create(root.Certificate, DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddDays(300), NextSerial());
        var certificate = issued.CopyWithPrivateKey(key);
        return new TestCertificate(certificate, certificate.ExportCertificatePem() + "\n", ExportKey(key));
    }

    /// <summary>A server certificate issued by <paramref name="issuer"/>, with the issuer as its chain.</summary>
    public static TestCertificate ServerIssuedBy(TestCertificate issuer, string commonName)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(commonName);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer.Certificate, true, false));
        using var issued = request.Create(issuer.Certificate, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), NextSerial());
        var certificate = issued.CopyWithPrivateKey(key);
        return new TestCertificate(certificate, certificate.ExportCertificatePem() + "\n", ExportKey(key), issuer.CertificatePem);
    }

    /// <param name="subject">An X.500 name, e.g. "CN=client,OU=x,O=mTLS,C=US".</param>
    public static TestCertificate Client(TestCertificate authority, string subject, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority.Certificate, true, false));
        using var issued = request.Create(authority.Certificate, notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(30), NextSerial());
        var certificate = issued.CopyWithPrivateKey(key);
        return new TestCertificate(certificate, certificate.ExportCertificatePem() + "\n", ExportKey(key));
    }

    /// <summary>A CRL from <paramref name="authority"/> revoking the given certificates, as PEM.</summary>
    public static string RevocationList(TestCertificate authority, params TestCertificate[] revoked)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var certificate in revoked) builder.AddEntry(certificate.Certificate, DateTimeOffset.UtcNow.AddMinutes(-5));
        var der = builder.Build(authority.Certificate, BigInteger.One, DateTimeOffset.UtcNow.AddDays(7), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return PemEncoding.WriteString("X509 CRL", der) + "\n";
    }

    private static byte[] NextSerial() => new BigInteger(Interlocked.Increment(ref serial)).ToByteArray(isUnsigned: true, isBigEndian: true);

    private static AsymmetricAlgorithm NewKey(TestKeyType keyType) =>
        keyType == TestKeyType.Ecdsa ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : RSA.Create(2048);

    private static CertificateRequest Request(string subject, AsymmetricAlgorithm key) => key switch
    {
        ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
        RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        _ => throw new ArgumentException("Unsupported key", nameof(key)),
    };

    private static string ExportKey(AsymmetricAlgorithm key) => key.ExportPkcs8PrivateKeyPem() + "\n";
}
