using System.Text.RegularExpressions;
using Elbe.EndToEnd.Tests.Infrastructure;
using Elbe.Model.Security;
using Elbe.Tests.Certificates;

namespace Elbe.EndToEnd.Tests;

/// <summary>The listener's security policy decides the TLS versions and ciphers a handshake may use (openssl s_client as the client).</summary>
public sealed partial class SecurityPolicyTests
{
    // OpenSSL 3 clients refuse TLS 1.1 at their default security level; the test client lowers it, the server is the one under test.
    private static readonly string[] Tls11Client = ["-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"];

    [Fact]
    public async Task Tls11_client_is_refused_under_the_tls13_1_2_policy()
    {
        await using var setup = await HttpsSetup.StartWithListenerAsync("ELBSecurityPolicy-TLS13-1-2-2021-06");

        var tls11 = await setup.OpenSslClientAsync(Tls11Client);
        var tls12 = await setup.OpenSslClientAsync("-tls1_2");

        Assert.True(tls11.ExitCode != 0, $"TLS 1.1 was accepted: {tls11.Output}");
        Assert.Equal("TLSv1.2", Negotiated(tls12).Protocol);
    }

    [Fact]
    public async Task Tls11_client_is_accepted_under_the_default_2016_08_policy()
    {
        await using var setup = await HttpsSetup.StartWithListenerAsync(sslPolicy: null);

        var tls11 = await setup.OpenSslClientAsync(Tls11Client);

        Assert.Equal("TLSv1.1", Negotiated(tls11).Protocol);
    }

    [Fact]
    public async Task Tls13_is_refused_by_a_policy_without_it_and_negotiated_by_one_with_it()
    {
        await using var old = await HttpsSetup.StartWithListenerAsync("ELBSecurityPolicy-2016-08");
        var refused = await old.OpenSslClientAsync("-tls1_3");
        Assert.True(refused.ExitCode != 0, $"TLS 1.3 was accepted under 2016-08: {refused.Output}");

        await using var modern = await HttpsSetup.StartWithListenerAsync("ELBSecurityPolicy-TLS13-1-3-2021-06");
        var accepted = await modern.OpenSslClientAsync("-tls1_3", "-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256");
        Assert.Equal(("TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256"), Negotiated(accepted));
    }

    /// <summary>
    /// Every TLS 1.2 cipher an RSA certificate can use is accepted exactly when the policy lists it: the policy's
    /// own are each negotiated when a client offers only that one, all others are refused.
    /// </summary>
    [Theory]
    [InlineData("ELBSecurityPolicy-TLS13-1-2-Res-2021-06")]
    [InlineData("ELBSecurityPolicy-FS-1-2-2019-08")]
    [InlineData("ELBSecurityPolicy-2016-08")]
    [InlineData("ELBSecurityPolicy-TLS13-1-0-2021-06")]
    public async Task Tls12_ciphers_accepted_are_exactly_the_policy_ciphers(string policyName)
    {
        await using var setup = await HttpsSetup.StartWithListenerAsync(policyName);
        var policy = SslPolicies.Find(policyName)!;
        string[] rsaCiphers =
        [
            "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-GCM-SHA384",
            "ECDHE-RSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA", "AES128-GCM-SHA256", "AES128-SHA256", "AES128-SHA",
            "AES256-GCM-SHA384", "AES256-SHA256", "AES256-SHA", "ECDHE-RSA-CHACHA20-POLY1305", "DHE-RSA-AES128-GCM-SHA256",
        ];

        var outcomes = new List<string>();
        foreach (var cipher in rsaCiphers)
        {
            var result = await setup.OpenSslClientAsync("-tls1_2", "-cipher", cipher + ":@SECLEVEL=0");
            var accepted = result.ExitCode == 0 && Negotiated(result).Cipher == cipher;
            var expected = policy.Ciphers.Any(c => c.Name == cipher);
            if (accepted != expected) outcomes.Add($"{cipher}: {(accepted ? "accepted" : "refused")}, policy {(expected ? "lists" : "does not list")} it");
        }

        Assert.True(outcomes.Count == 0, string.Join("\n", outcomes));
    }

    private static (string Protocol, string Cipher) Negotiated(ExternalToolResult result)
    {
        Assert.True(result.ExitCode == 0, $"The handshake failed: {result.Output}");
        var line = NegotiatedLine().Match(result.StandardOutput);
        Assert.True(line.Success && line.Groups[2].Value != "(NONE)", $"No negotiated cipher in: {result.Output}");
        // The summary line names the cipher's TLS version; the session block names the one negotiated (absent for TLS 1.3 here).
        var protocol = ProtocolLine().Match(result.StandardOutput);
        return (protocol.Success ? protocol.Groups[1].Value : line.Groups[1].Value, line.Groups[2].Value);
    }

    [GeneratedRegex(@"^\s*Protocol\s*:\s*(\S+)", RegexOptions.Multiline)]
    private static partial Regex ProtocolLine();

    /// <summary>s_client's summary line, e.g. "New, TLSv1.2, Cipher is ECDHE-RSA-AES128-GCM-SHA256".</summary>
    [GeneratedRegex(@"^New, (\S+), Cipher is (\S+)", RegexOptions.Multiline)]
    private static partial Regex NegotiatedLine();
}
