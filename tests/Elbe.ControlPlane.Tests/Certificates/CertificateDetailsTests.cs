using Elbe.ControlPlane.Certificates;
using Elbe.Model.Resources;
using Elbe.Tests.Certificates;

namespace Elbe.ControlPlane.Tests.Certificates;

public sealed class CertificateDetailsTests
{
    private static Certificate Stored(TestCertificate generated) =>
        new() { Arn = "arn:aws:acm:us-east-1:123456789012:certificate/x", CertificatePem = generated.CertificatePem, PrivateKeyPem = generated.PrivateKeyPem };

    [Fact]
    public void Names_serial_usages_and_algorithms_are_read_from_the_certificate()
    {
        var generated = TestCertificates.SelfSigned("www.example.com", TestKeyType.EcP256, alternativeNames: ["*.example.com"]);
        var details = CertificateDetails.Of(Stored(generated));
        Assert.Equal("www.example.com", details.DomainName);
        Assert.Equal(["www.example.com", "*.example.com"], details.SubjectAlternativeNames);
        Assert.Matches("^[0-9a-f]{2}(:[0-9a-f]{2})+$", details.Serial);
        Assert.Equal(generated.SerialNumber, details.Serial.Replace(":", "", StringComparison.Ordinal).ToUpperInvariant());
        Assert.Equal("EC_prime256v1", details.KeyAlgorithm);
        Assert.Equal("EC-prime256v1", details.KeyAlgorithmWithHyphen);
        Assert.Equal("SHA256WITHECDSA", details.SignatureAlgorithm);
        Assert.Equal(["DIGITAL_SIGNATURE", "KEY_ENCIPHERMENT"], details.KeyUsages);
        Assert.Equal([("TLS_WEB_SERVER_AUTHENTICATION", "1.3.6.1.5.5.7.3.1")], details.ExtendedKeyUsages);
        Assert.Equal("Elbe Tests", details.Issuer);
    }

    [Fact]
    public void Status_is_issued_until_not_after_then_expired()
    {
        var details = CertificateDetails.Of(Stored(TestCertificates.SelfSigned(keyType: TestKeyType.Rsa2048)));
        Assert.Equal("RSA_2048", details.KeyAlgorithm);
        Assert.Equal("SHA256WITHRSA", details.SignatureAlgorithm);
        Assert.Equal(CertificateDetails.Issued, details.StatusAt(DateTimeOffset.UtcNow));
        Assert.Equal(CertificateDetails.Expired, details.StatusAt(details.NotAfter.AddSeconds(1)));
    }
}
