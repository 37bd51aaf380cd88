using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests;

/// <summary>HTTPS listeners: TLS termination with an imported certificate, the headers targets see, rotation, redirects and handshake isolation.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TlsListenerTests
{
    [Fact]
    public async Task Https_listener_terminates_tls_and_forwards_with_https_forwarded_headers()
    {
        await using var setup = await HttpsSetup.StartAsync();
        var arn = await setup.ImportAsync(TestCertificates.Server("www.example.com"));
        await setup.AddHttpsListenerAsync(arn);

        var echoed = await setup.EchoOverHttpsAsync();

        Assert.Equal(("https", "8443"), (echoed.Header("X-Forwarded-Proto"), echoed.Header("X-Forwarded-Port")));
        Assert.Null(echoed.Header("x-amzn-tls-version"));
    }

    [Fact]
    public async Task Tls_version_and_cipher_headers_are_added_when_the_attribute_asks_for_them()
    {
        await using var setup = await HttpsSetup.StartAsync(new Dictionary<string, string> { ["routing.http.x_amzn_tls_version_and_cipher_suite.enabled"] = "true" });
        var arn = await setup.ImportAsync(TestCertificates.Server("www.example.com"));
        await setup.AddHttpsListenerAsync(arn);
        using var client = HttpsSetup.InsecureClient(ssl =>
        {
            ssl.EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12;
            ssl.CipherSuitesPolicy = new CipherSuitesPolicy([TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]);
        });

        var echoed = await setup.EchoOverHttpsAsync(client);

        Assert.Equal(("TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384"), (echoed.Header("x-amzn-tls-version"), echoed.Header("x-amzn-tls-cipher-suite")));
    }
}
