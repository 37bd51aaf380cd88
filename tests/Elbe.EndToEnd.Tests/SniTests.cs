using System.Text.RegularExpressions;
using Elbe.EndToEnd.Tests.Infrastructure;
using Elbe.Tests.Certificates;

namespace Elbe.EndToEnd.Tests;

/// <summary>
/// Certificate selection by SNI with openssl s_client: exact name, then wildcard, the key type the client can
/// use, and the default certificate when nothing matches or no name is sent.
/// </summary>
public sealed partial class SniTests
{
    [Fact]
    public async Task Sni_picks_the_exact_name_then_the_wildcard_then_the_default()
    {
        await using var setup = await StartWithCertificatesAsync();

        Assert.Equal("api.example.com", await PresentedSubjectAsync(setup, "-servername", "api.example.com"));
        Assert.Equal("apps-wildcard", await PresentedSubjectAsync(setup, "-servername", "shop.apps.example.com"));
        Assert.Equal("default.example.com", await PresentedSubjectAsync(setup, "-servername", "unknown.example.com"));
        Assert.Equal("default.example.com", await PresentedSubjectAsync(setup, "-noservername"));
        // A wildcard covers one label only.
        Assert.Equal("default.example.com", await PresentedSubjectAsync(setup, "-servername", "a.b.apps.example.com"));
    }

    [Fact]
    public async Task Among_certificates_for_the_same_name_ecdsa_is_preferred_unless_the_client_cannot_use_it()
    {
        await using var setup = await StartWithCertificatesAsync(
            TestCertificates.Server("both-rsa", ["both.example.com"], TestKeyType.Rsa2048),
            TestCertificates.Server("both-ecdsa", ["both.example.com"], TestKeyType.EcP256));

        var preferred = await PresentedSubjectAsync(setup, "-servername", "both.example.com");
        var rsaOnlyClient = await PresentedSubjectAsync(setup, "-servername", "both.example.com", "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256");

        Assert.Equal(("both-ecdsa", "both-rsa"), (preferred, rsaOnlyClient));
    }

    [Fact]
    public async Task A_templates_listener_certificate_resource_adds_sni_certificates()
    {
        await using var setup = await HttpsSetup.StartAsync();
        await setup.AddSniListenerAsync();

        Assert.Equal("listed.example.com", await PresentedSubjectAsync(setup, "-servername", "listed.example.com"));
        Assert.Equal("default.example.com", await PresentedSubjectAsync(setup, "-servername", "other.example.com"));
    }

    /// <summary>Default certificate default.example.com (RSA); listed api.example.com (RSA) and *.apps.example.com (ECDSA), plus any extras.</summary>
    private static async Task<HttpsSetup> StartWithCertificatesAsync(params TestCertificate[] extras)
    {
        var setup = await HttpsSetup.StartAsync();
        try
        {
            var defaultArn = await setup.ImportAsync(TestCertificates.Server("default.example.com"));
            var listed = new List<string>
            {
                await setup.ImportAsync(TestCertificates.Server("api.example.com")),
                await setup.ImportAsync(TestCertificates.Server("apps-wildcard", ["*.apps.example.com"], TestKeyType.EcP256)),
            };
            foreach (var extra in extras) listed.Add(await setup.ImportAsync(extra));
            await setup.AddHttpsListenerAsync(defaultArn);

            var added = await setup.AwsAsync(["elbv2", "add-listener-certificates", "--listener-arn", setup.HttpsListenerArn, "--certificates", .. listed.Select(a => $"CertificateArn={a}")]);
            Assert.True(added.ExitCode == 0, added.Output);
            await Eventually.TrueAsync(
                () => setup.Elbe.Server.Configuration.Listeners.Single(l => l.Port == HttpsSetup.Port).AdditionalCertificateArns.Length == listed.Count,
                "the added listener certificates never reached the data plane");
            return setup;
        }
        catch
        {
            await setup.DisposeAsync();
            throw;
        }
    }

    private static async Task<string> PresentedSubjectAsync(HttpsSetup setup, params string[] arguments)
    {
        var result = await setup.OpenSslClientAsync(arguments);
        Assert.True(result.ExitCode == 0, $"openssl s_client {string.Join(' ', arguments)} failed: {result.Output}");
        var match = SubjectCommonName().Match(result.StandardOutput);
        Assert.True(match.Success, $"No server certificate subject in: {result.StandardOutput}");
        return match.Groups[1].Value.Trim();
    }

    [GeneratedRegex(@"^subject=.*CN\s?=\s?([^,\r\n]+)", RegexOptions.Multiline)]
    private static partial Regex SubjectCommonName();
}
