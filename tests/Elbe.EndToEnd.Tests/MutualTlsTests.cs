using System.Globalization;
using System.Text.Json;
using Elbe.EndToEnd.Tests.Infrastructure;
using Elbe.Tests.Certificates;

namespace Elbe.EndToEnd.Tests;

/// <summary>
/// Mutual TLS on HTTPS listeners with curl as the client: verify mode against a trust store created through the
/// API (refusing untrusted, revoked and expired certificates in the handshake, forwarding the certificate's
/// details), and passthrough mode (any certificate, forwarded whole).
/// </summary>
public sealed class MutualTlsTests
{
    private const string ClientSubject = "CN=client,OU=x,O=mTLS,C=US";

    [Fact]
    public async Task Verify_mode_passes_a_trusted_client_certificate_to_the_target_in_headers()
    {
        var authority = TestCertificates.Authority("Elbe Test CA");
        var client = TestCertificates.Client(authority, ClientSubject);
        await using var setup = await StartVerifyAsync(authority);

        var echoed = await EchoWithCertificateAsync(setup, client);

        Assert.Equal(client.SerialNumber, echoed.Header("X-Amzn-Mtls-Clientcert-Serial-Number"));
        Assert.Equal(ClientSubject, echoed.Header("X-Amzn-Mtls-Clientcert-Subject"));
        Assert.Equal("CN=Elbe Test CA,O=Elbe Tests", echoed.Header("X-Amzn-Mtls-Clientcert-Issuer"));
        Assert.Equal(Validity(client), echoed.Header("X-Amzn-Mtls-Clientcert-Validity"));
        Assert.Equal(Encoded(client.CertificatePem), echoed.Header("X-Amzn-Mtls-Clientcert-Leaf"));
        Assert.Null(echoed.Header("X-Amzn-Mtls-Clientcert"));
    }

    [Fact]
    public async Task Verify_mode_refuses_untrusted_missing_and_expired_client_certificates_in_the_handshake()
    {
        var authority = TestCertificates.Authority("Elbe Test CA");
        var stranger = TestCertificates.Client(TestCertificates.Authority("Someone Else's CA"), "CN=stranger");
        var expired = TestCertificates.Client(authority, "CN=expired", DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1));
        await using var setup = await StartVerifyAsync(authority);

        var untrusted = await CurlWithCertificateAsync(setup, stranger);
        var none = await setup.CurlAsync("www.example.com", "/echo");
        var outOfDate = await CurlWithCertificateAsync(setup, expired);

        Assert.True(untrusted.ExitCode != 0, $"An untrusted client certificate was accepted: {untrusted.Output}");
        Assert.True(none.ExitCode != 0, $"A client without a certificate was accepted: {none.Output}");
        Assert.True(outOfDate.ExitCode != 0, $"An expired client certificate was accepted: {outOfDate.Output}");
    }

    [Fact]
    public async Task Verify_mode_accepts_an_expired_client_certificate_when_expiry_is_ignored()
    {
        var authority = TestCertificates.Authority("Elbe Test CA");
        var expired = TestCertificates.Client(authority, "CN=expired", DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1));
        await using var setup = await StartVerifyAsync(authority, ignoreExpiry: true);

        var echoed = await EchoWithCertificateAsync(setup, expired);

        Assert.Equal("CN=expired", echoed.Header("X-Amzn-Mtls-Clientcert-Subject"));
    }

    [Fact]
    public async Task Verify_mode_refuses_a_certificate_revoked_by_the_trust_store()
    {
        var authority = TestCertificates.Authority("Elbe Test CA");
        var revoked = TestCertificates.Client(authority, "CN=revoked");
        var kept = TestCertificates.Client(authority, "CN=kept");
        await using var setup = await StartVerifyAsync(authority);
        await File.WriteAllTextAsync(setup.FilePath("revoked.crl"), TestCertificates.RevocationList(authority, revoked));

        var added = await setup.AwsAsync("elbv2", "add-trust-store-revocations", "--trust-store-arn", TrustStoreArn(setup),
            "--revocation-contents", $"S3Bucket={setup.Files.FullName},S3Key=revoked.crl,RevocationType=CRL");
        Assert.True(added.ExitCode == 0, added.Output);
        await Eventually.TrueAsync(() => setup.Elbe.Server.Configuration.TrustStores.Single().Revocations.Length == 1, "the revocation list never reached the data plane");

        var refused = await CurlWithCertificateAsync(setup, revoked);
        var accepted = await EchoWithCertificateAsync(setup, kept);

        Assert.True(refused.ExitCode != 0, $"A revoked client certificate was accepted: {refused.Output}");
        Assert.Equal("CN=kept", accepted.Header("X-Amzn-Mtls-Clientcert-Subject"));
    }

    [Fact]
    public async Task Passthrough_mode_forwards_the_whole_client_chain_and_accepts_clients_without_one()
    {
        var authority = TestCertificates.Authority("Unknown CA");
        var client = TestCertificates.Client(authority, ClientSubject) with { ChainPem = authority.CertificatePem };
        await using var setup = await HttpsSetup.StartAsync();
        var arn = await setup.ImportAsync(TestCertificates.Server("www.example.com"));
        await setup.AddHttpsListenerAsync(arn, mutualAuthentication: "Mode: passthrough");

        var echoed = await EchoWithCertificateAsync(setup, client);
        var anonymous = await setup.CurlAsync("www.example.com", "/echo");

        Assert.Equal(Encoded(client.CertificatePem + authority.CertificatePem), echoed.Header("X-Amzn-Mtls-Clientcert"));
        Assert.Null(echoed.Header("X-Amzn-Mtls-Clientcert-Subject"));
        Assert.True(anonymous.ExitCode == 0, anonymous.Output);
        Assert.Null(JsonSerializer.Deserialize<EchoedRequest>(anonymous.StandardOutput)!.Header("X-Amzn-Mtls-Clientcert"));
    }

    [Fact]
    public async Task Client_supplied_certificate_headers_never_reach_the_target()
    {
        await using var setup = await HttpsSetup.StartAsync();
        var arn = await setup.ImportAsync(TestCertificates.Server("www.example.com"));
        await setup.AddHttpsListenerAsync(arn, mutualAuthentication: "Mode: passthrough");

        var result = await setup.CurlAsync("www.example.com", "/echo", "-H", "X-Amzn-Mtls-Clientcert: forged", "-H", "X-Amzn-Mtls-Clientcert-Subject: CN=admin");
        var echoed = JsonSerializer.Deserialize<EchoedRequest>(result.StandardOutput)!;

        Assert.Equal((null, null), (echoed.Header("X-Amzn-Mtls-Clientcert"), echoed.Header("X-Amzn-Mtls-Clientcert-Subject")));
    }

    [Theory]
    [InlineData("on", true)]
    [InlineData("off", false)]
    public async Task Trust_store_ca_names_are_advertised_only_when_asked(string advertise, bool expected)
    {
        var authority = TestCertificates.Authority("Advertised CA");
        await using var setup = await StartVerifyAsync(authority, advertise: advertise);

        var result = await setup.OpenSslClientAsync("-servername", "www.example.com");

        var advertised = System.Text.RegularExpressions.Regex.IsMatch(result.StandardOutput, "Acceptable client certificate CA names\n[^\n]*CN = Advertised CA");
        var none = result.StandardOutput.Contains("No client certificate CA names sent", StringComparison.Ordinal);
        Assert.True((advertised, none) == (expected, !expected), result.StandardOutput);
    }

    private static async Task<HttpsSetup> StartVerifyAsync(TestCertificate authority, bool ignoreExpiry = false, string advertise = "off")
    {
        var setup = await HttpsSetup.StartAsync();
        try
        {
            await File.WriteAllTextAsync(setup.FilePath("ca.pem"), authority.CertificatePem);
            var created = await setup.AwsAsync("elbv2", "create-trust-store", "--name", "tests",
                "--ca-certificates-bundle-s3-bucket", setup.Files.FullName, "--ca-certificates-bundle-s3-key", "ca.pem");
            Assert.True(created.ExitCode == 0, created.Output);
            var trustStoreArn = JsonDocument.Parse(created.StandardOutput).RootElement.GetProperty("TrustStores")[0].GetProperty("TrustStoreArn").GetString()!;
            var arn = await setup.ImportAsync(TestCertificates.Server("www.example.com"));
            await setup.AddHttpsListenerAsync(arn, mutualAuthentication:
                $"""
                Mode: verify
                TrustStoreArn: {CfnTemplate.Quote(trustStoreArn)}
                IgnoreClientCertificateExpiry: {(ignoreExpiry ? "true" : "false")}
                AdvertiseTrustStoreCaNames: {advertise}
                """);
            return setup;
        }
        catch
        {
            await setup.DisposeAsync();
            throw;
        }
    }

    private static string TrustStoreArn(HttpsSetup setup) => setup.Elbe.Server.Configuration.TrustStores.Single().Arn;

    private static Task<ExternalToolResult> CurlWithCertificateAsync(HttpsSetup setup, TestCertificate client)
    {
        var (certificate, key) = client.WriteFiles(setup.Files.FullName, "client-" + Guid.NewGuid().ToString("N"));
        return setup.CurlAsync("www.example.com", "/echo", "--cert", certificate, "--key", key);
    }

    private static async Task<EchoedRequest> EchoWithCertificateAsync(HttpsSetup setup, TestCertificate client)
    {
        var result = await CurlWithCertificateAsync(setup, client);
        Assert.True(result.ExitCode == 0, $"curl with the client certificate failed: {result.Output}");
        return JsonSerializer.Deserialize<EchoedRequest>(result.StandardOutput) ?? throw new Xunit.Sdk.XunitException("Empty echo");
    }

    /// <summary>Percent-encoding as ALB's headers use it: base64's '+', '=' and '/' stay as they are.</summary>
    private static string Encoded(string pem) =>
        Uri.EscapeDataString(pem).Replace("%2B", "+", StringComparison.Ordinal).Replace("%3D", "=", StringComparison.Ordinal).Replace("%2F", "/", StringComparison.Ordinal);

    private static string Validity(TestCertificate certificate) => string.Create(CultureInfo.InvariantCulture,
        $"NotBefore={certificate.Certificate.NotBefore.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ};NotAfter={certificate.Certificate.NotAfter.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}");
}
