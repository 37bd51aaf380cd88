using System.Security.Cryptography.X509Certificates;
using Elbe.Routing.Tls;

namespace Elbe.Routing.Tests.Tls;

public sealed class ClientCertificateHeaderValuesTests
{
    [Theory]
    [InlineData("CN=client,OU=x,O=mTLS,C=US", "CN=client,OU=x,O=mTLS,C=US")]
    [InlineData("CN=\"Doe, Jane\",O=Example", "CN=Doe\\, Jane,O=Example")]
    [InlineData("CN=a+b,DC=example,DC=com", "CN=a\\+b,DC=example,DC=com")]
    public void Distinguished_names_are_written_as_rfc_2253(string name, string expected)
    {
        Assert.Equal(expected, ClientCertificateHeaderValues.Rfc2253(new X500DistinguishedName(name)));
    }

    [Fact]
    public void Pem_is_percent_encoded_except_base64_characters()
    {
        var encoded = ClientCertificateHeaderValues.UrlEncode("-----BEGIN CERTIFICATE-----\nMIID+a/b=\n-----END CERTIFICATE-----\n");

        Assert.Equal("-----BEGIN%20CERTIFICATE-----%0AMIID+a/b=%0A-----END%20CERTIFICATE-----%0A", encoded);
    }

    [Fact]
    public void Validity_is_not_before_and_not_after_in_utc()
    {
        var value = ClientCertificateHeaderValues.Validity(
            new DateTime(2023, 9, 21, 1, 50, 17, DateTimeKind.Utc), new DateTime(2024, 9, 20, 1, 50, 17, DateTimeKind.Utc));

        Assert.Equal("NotBefore=2023-09-21T01:50:17Z;NotAfter=2024-09-20T01:50:17Z", value);
    }
}
