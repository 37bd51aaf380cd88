using System.Text.RegularExpressions;
using Elbe.EndToEnd.Tests.Infrastructure;
using Elbe.Tests.Certificates;

namespace Elbe.EndToEnd.Tests;

/// <summary>
/// TLS session resumption on HTTPS listeners (ALB logs a resumed handshake's certificate as "session-reused"),
/// with openssl s_client saving the first connection's session and offering it on the second.
/// </summary>
public sealed partial class TlsSessionResumptionTests
{
    private const string Request = "GET /echo HTTP/1.1\r\nHost: www.example.com\r\nConnection: close\r\n\r\n";

    [Fact]
    public async Task A_tls12_session_is_resumed_under_the_default_policy()
    {
        await using var setup = await HttpsSetup.StartWithListenerAsync(sslPolicy: null);
        var session = setup.FilePath("tls12.session");

        var first = await HandshakeAsync(setup, "-tls1_2", "-sess_out", session);
        var second = await HandshakeAsync(setup, "-tls1_2", "-sess_in", session);

        Assert.Equal(("New", "TLSv1.2"), first);
        Assert.Equal(("Reused", "TLSv1.2"), second);
    }

    /// <summary>TLS13-1-2 names TLS 1.2 ciphers of its own, but its TLS 1.3 suites are every TLS 1.3 policy's.</summary>
    [Theory]
    [InlineData("ELBSecurityPolicy-TLS13-1-3-2021-06")]
    [InlineData("ELBSecurityPolicy-TLS13-1-2-2021-06")]
    [InlineData("ELBSecurityPolicy-TLS13-1-2-Res-2021-06")]
    public async Task A_tls13_session_ticket_is_resumed_under_a_tls13_policy(string policy)
    {
        await using var setup = await HttpsSetup.StartWithListenerAsync(policy);
        var session = setup.FilePath("tls13.session");

        // The ticket arrives after the handshake; s_client saves it while it reads the response.
        var first = await HandshakeAsync(setup, "-tls1_3", "-sess_out", session);
        var second = await HandshakeAsync(setup, "-tls1_3", "-sess_in", session);

        Assert.Equal(("New", "TLSv1.3"), first);
        Assert.Equal(("Reused", "TLSv1.3"), second);
    }

    [Fact]
    public async Task A_session_is_not_resumed_when_sni_picks_another_certificate()
    {
        await using var setup = await HttpsSetup.StartAsync();
        await setup.AddSniListenerAsync();
        var session = setup.FilePath("default.session");

        var first = await HandshakeAsync(setup, "-tls1_2", "-servername", "default.example.com", "-sess_out", session);
        var other = await RunAsync(setup, "-tls1_2", "-servername", "listed.example.com", "-sess_in", session);

        Assert.Equal(("New", "TLSv1.2"), first);
        // Resuming would skip certificate selection: the client must see the certificate for the name it sent.
        Assert.Equal(("New", "TLSv1.2"), Negotiated(other));
        Assert.Equal("listed.example.com", SubjectCommonName().Match(other.StandardOutput).Groups[1].Value.Trim());
    }

    [Fact]
    public async Task Mutual_tls_listeners_resume_no_sessions()
    {
        await using var setup = await HttpsSetup.StartAsync();
        var arn = await setup.ImportAsync(TestCertificates.Server("www.example.com"));
        await setup.AddHttpsListenerAsync(arn, mutualAuthentication: "Mode: passthrough");

        // s_client -reconnect offers each connection's session on the next one, five times.
        var result = await ExternalTool.RunAsync("openssl", ["s_client", "-connect", $"{setup.Node}:{HttpsSetup.Port}", "-tls1_2", "-reconnect"], standardInput: "");

        var sessions = SessionLine().Matches(result.StandardOutput).Select(m => m.Groups[1].Value).ToList();
        Assert.True(sessions.Count == 6, $"Expected six handshakes: {result.Output}");
        Assert.All(sessions, s => Assert.Equal("New", s));
    }

    /// <summary>One connection that sends a request and reads the whole answer: whether its session was new or resumed, and the TLS version.</summary>
    private static async Task<(string Session, string Protocol)> HandshakeAsync(HttpsSetup setup, params string[] arguments) =>
        Negotiated(await RunAsync(setup, arguments));

    private static Task<ExternalToolResult> RunAsync(HttpsSetup setup, params string[] arguments) =>
        ExternalTool.RunAsync("openssl", ["s_client", "-connect", $"{setup.Node}:{HttpsSetup.Port}", "-ign_eof", .. arguments], standardInput: Request);

    private static (string Session, string Protocol) Negotiated(ExternalToolResult result)
    {
        // The request went through the load balancer on that connection, resumed or not. (s_client's exit status
        // is no use here: the load balancer closes a Connection: close exchange without close_notify, as ALB does.)
        Assert.True(result.StandardOutput.Contains("HTTP/1.1 200 OK", StringComparison.Ordinal), $"No answer over the connection: {result.Output}");
        var line = SessionLine().Match(result.StandardOutput);
        Assert.True(line.Success, $"No session summary in: {result.Output}");
        return (line.Groups[1].Value, line.Groups[2].Value);
    }

    /// <summary>s_client's summary line, e.g. "Reused, TLSv1.2, Cipher is ECDHE-RSA-AES128-GCM-SHA256".</summary>
    [GeneratedRegex(@"^(New|Reused), (\S+), Cipher is ", RegexOptions.Multiline)]
    private static partial Regex SessionLine();

    [GeneratedRegex(@"^subject=.*CN\s?=\s?([^,\r\n]+)", RegexOptions.Multiline)]
    private static partial Regex SubjectCommonName();
}
