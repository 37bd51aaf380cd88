using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Elbe.ControlPlane.Certificates;
using Elbe.Tests.Certificates;

namespace Elbe.ControlPlane.Tests.Certificates;

public sealed class CertificateImportValidatorTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static AcmException Refused(string certificate, string key, string? chain = null) =>
        Assert.Throws<AcmException>(() => CertificateImportValidator.Validate(certificate, key, chain, Now));

    [Theory]
    [InlineData(TestKeyType.Rsa2048, "RSA_2048")]
    [InlineData(TestKeyType.Rsa4096, "RSA_4096")]
    [InlineData(TestKeyType.EcP256, "EC_prime256v1")]
    [InlineData(TestKeyType.EcP384, "EC_secp384r1")]
    public void Rsa_and_ecdsa_keys_are_accepted_and_named_as_acm_names_them(TestKeyType keyType, string expected)
    {
        var generated = TestCertificates.SelfSigned(keyType: keyType);
        var valid = CertificateImportValidator.Validate(generated.CertificatePem, generated.PrivateKeyPem, null, Now);
        Assert.Equal(expected, valid.KeyAlgorithm);
        Assert.Equal("", valid.CertificateChainPem);
        using var parsed = X509Certificate2.CreateFromPem(valid.CertificatePem, valid.PrivateKeyPem);
        Assert.True(parsed.HasPrivateKey);
        Assert.Equal(generated.SerialNumber, parsed.SerialNumber);
    }

    [Fact]
    public void Pkcs1_and_sec1_keys_are_read_and_stored_as_pkcs8()
    {
        using var rsa = RSA.Create(2048);
        var rsaCertificate = new CertificateRequest("CN=pkcs1.example.com", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(Now.AddDays(-1), Now.AddDays(1));
        var fromPkcs1 = CertificateImportValidator.Validate(rsaCertificate.ExportCertificatePem(), rsa.ExportRSAPrivateKeyPem(), null, Now);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", fromPkcs1.PrivateKeyPem, StringComparison.Ordinal);

        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ecCertificate = new CertificateRequest("CN=sec1.example.com", ec, HashAlgorithmName.SHA256).CreateSelfSigned(Now.AddDays(-1), Now.AddDays(1));
        var fromSec1 = CertificateImportValidator.Validate(ecCertificate.ExportCertificatePem(), ec.ExportECPrivateKeyPem(), null, Now);
        Assert.Equal("EC_prime256v1", fromSec1.KeyAlgorithm);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", fromSec1.PrivateKeyPem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chain_with_an_intermediate_is_kept_in_order()
    {
        var generated = TestCertificates.IssuedThroughIntermediate();
        var valid = CertificateImportValidator.Validate(generated.CertificatePem, generated.PrivateKeyPem, generated.ChainPem, Now);
        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(valid.CertificateChainPem);
        Assert.Equal(["CN=Elbe Test Intermediate", "CN=Elbe Test Root"], chain.Select(c => c.Subject));
    }

    [Fact]
    public void A_key_of_another_certificate_is_refused()
    {
        var one = TestCertificates.SelfSigned("one.example.com");
        var other = TestCertificates.SelfSigned("other.example.com");
        Assert.Equal(CertificateImportValidator.KeyMismatch, Refused(one.CertificatePem, other.PrivateKeyPem).Message);
        var ec = TestCertificates.SelfSigned(keyType: TestKeyType.EcP256);
        Assert.Equal(CertificateImportValidator.KeyMismatch, Refused(one.CertificatePem, ec.PrivateKeyPem).Message);
    }

    [Fact]
    public void An_expired_certificate_is_refused()
    {
        var expired = TestCertificates.SelfSigned(notBefore: Now.AddDays(-30), notAfter: Now.AddDays(-1));
        var error = Refused(expired.CertificatePem, expired.PrivateKeyPem);
        Assert.Equal(AcmErrorCodes.ValidationException, error.Code);
        Assert.Equal(CertificateImportValidator.Expired, error.Message);
    }

    [Fact]
    public void A_certificate_not_yet_valid_is_refused()
    {
        var future = TestCertificates.SelfSigned(notBefore: Now.AddDays(2), notAfter: Now.AddDays(30));
        Assert.Equal(CertificateImportValidator.NotYetValid, Refused(future.CertificatePem, future.PrivateKeyPem).Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")]
    public void Garbage_in_the_certificate_field_is_refused(string garbage)
    {
        var key = TestCertificates.SelfSigned().PrivateKeyPem;
        var error = Refused(garbage, key);
        Assert.Equal(AcmErrorCodes.ValidationException, error.Code);
        Assert.Equal(CertificateImportValidator.MalformedCertificate, error.Message);
    }

    [Fact]
    public void A_bundle_in_the_certificate_field_is_refused()
    {
        var generated = TestCertificates.IssuedThroughIntermediate();
        Assert.Equal(CertificateImportValidator.MoreThanOneCertificate, Refused(generated.CertificatePem + generated.ChainPem, generated.PrivateKeyPem).Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a key")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n")]
    public void Garbage_in_the_key_field_is_refused(string garbage)
    {
        var generated = TestCertificates.SelfSigned();
        Assert.Equal(CertificateImportValidator.MalformedPrivateKey, Refused(generated.CertificatePem, garbage).Message);
    }

    [Fact]
    public void An_encrypted_key_or_an_unsupported_curve_is_refused()
    {
        var generated = TestCertificates.SelfSigned();
        using var rsa = RSA.Create();
        rsa.ImportFromPem(generated.PrivateKeyPem);
        var encrypted = rsa.ExportEncryptedPkcs8PrivateKeyPem("secret", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000));
        Assert.Equal(CertificateImportValidator.UnsupportedPrivateKey, Refused(generated.CertificatePem, encrypted).Message);

        var p224 = TestCertificates.SelfSigned(keyType: TestKeyType.EcP224);
        Assert.Equal(CertificateImportValidator.UnsupportedPrivateKey, Refused(p224.CertificatePem, p224.PrivateKeyPem).Message);
    }

    [Fact]
    public void Garbage_in_the_chain_is_refused()
    {
        var generated = TestCertificates.SelfSigned();
        Assert.Equal(CertificateImportValidator.MalformedChain, Refused(generated.CertificatePem, generated.PrivateKeyPem, "garbage").Message);
        Assert.Equal(CertificateImportValidator.MalformedChain,
            Refused(generated.CertificatePem, generated.PrivateKeyPem, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n").Message);
    }
}
