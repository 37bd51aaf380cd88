using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Elbe.EndToEnd.Tests.Infrastructure;
using Elbe.Tests.Certificates;

namespace Elbe.EndToEnd.Tests.Network;

/// <summary>NLB TLS listeners (fact sheet 2.5): termination with the imported certificate chosen by SNI, ALPN by policy, TLS target groups re-encrypting.</summary>
public class NlbTlsTests
{
    private static readonly SslApplicationProtocol Http10 = new("http/1.0");

    /// <summary>Starts with a TCP listener, imports a certificate as ACM would, then turns the listener into TLS.</summary>
    private static async Task<ElbeHarness> StartTlsAsync(NlbTemplate template, TestCertificate certificate)
    {
        var harness = await ElbeHarness.StartAsync((template with { Protocol = "TCP", CertificateArn = null, AlpnPolicy = null }).ToString());
        try
        {
            var generation = harness.Server.Generation;
            var arn = await harness.Server.ImportCertificateAsync(certificate.CertificatePem, certificate.PrivateKeyPem, null, null);
            await harness.Server.WaitForGenerationAsync(generation + 1, ElbeHarness.ReloadTimeout);
            await harness.ReloadAsync((template with { Protocol = "TLS", CertificateArn = arn }).ToString());
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    private static async Task<(SslStream Stream, string Greeting, string Subject)> ConnectAsync(string node, string serverName, List<SslApplicationProtocol> offered)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(IPAddress.Parse(node), NlbTemplate.ListenerPort, timeout.Token);
        var subject = "";
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: true));
        await stream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            ApplicationProtocols = offered,
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                subject = ((X509Certificate2)certificate!).GetNameInfo(X509NameType.SimpleName, false);
                return true;
            },
        }, timeout.Token);
        var greeting = new StringBuilder();
        var one = new byte[1];
        for (var i = 0; i < 100 && await stream.ReadAsync(one, timeout.Token) == 1 && one[0] != '\n'; i++) greeting.Append((char)one[0]);
        return (stream, greeting.ToString(), subject);
    }

    private static async Task<string> EchoAsync(SslStream stream, string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text), timeout.Token);
        var buffer = new byte[text.Length];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), timeout.Token);
            if (read == 0) break;
            filled += read;
        }
        return Encoding.ASCII.GetString(buffer, 0, filled);
    }

    [Theory]
    [InlineData("HTTP2Preferred", "h2")]
    [InlineData("HTTP2Optional", "http/1.1")]
    [InlineData("HTTP1Only", "http/1.1")]
    [InlineData("None", "")]
    public async Task Tls_listener_terminates_with_the_imported_certificate_and_negotiates_alpn_by_its_policy(string policy, string expected)
    {
        await using var target = TcpEchoTarget.Start("plain");
        var certificate = TestCertificates.Server("nlb.example.com");
        await using var harness = await StartTlsAsync(new NlbTemplate { AlpnPolicy = policy }.WithTargets(target.Port), certificate);
        await harness.WaitForHealthyAsync(NlbTemplate.TargetGroup, target.Port);

        // The client offers everything, HTTP/1.1 first: the load balancer's own order decides.
        var (stream, greeting, subject) = await ConnectAsync(harness.NodeAddress(NlbTemplate.LoadBalancer), "nlb.example.com",
            [SslApplicationProtocol.Http11, Http10, SslApplicationProtocol.Http2]);
        await using (stream)
        {
            Assert.Equal(("plain", "nlb.example.com"), (greeting, subject));
            Assert.Equal(expected, stream.NegotiatedApplicationProtocol.ToString());
            Assert.Equal("decrypted on the way", await EchoAsync(stream, "decrypted on the way"));
        }
        // The target got plain bytes: a TCP target group behind a TLS listener.
        Assert.Equal("decrypted on the way".Length, Assert.Single(target.DataConnections).PayloadBytes);
    }

    [Fact]
    public async Task Http2_only_policy_refuses_no_client_but_negotiates_nothing_without_overlap()
    {
        await using var target = TcpEchoTarget.Start("plain");
        await using var harness = await StartTlsAsync(new NlbTemplate { AlpnPolicy = "HTTP2Only" }.WithTargets(target.Port), TestCertificates.Server("nlb.example.com"));
        await harness.WaitForHealthyAsync(NlbTemplate.TargetGroup, target.Port);

        var (stream, greeting, _) = await ConnectAsync(harness.NodeAddress(NlbTemplate.LoadBalancer), "nlb.example.com", [SslApplicationProtocol.Http11]);
        await using (stream)
        {
            Assert.Equal("plain", greeting);
            Assert.Equal("", stream.NegotiatedApplicationProtocol.ToString());
        }
    }

    [Fact]
    public async Task Tls_target_group_re_encrypts_and_offers_the_target_the_protocol_the_client_negotiated()
    {
        var targetCertificate = TestCertificates.Server("target.internal");
        await using var target = TcpEchoTarget.Start("encrypted", tlsCertificate: targetCertificate.Certificate);
        var template = new NlbTemplate { TargetProtocol = "TLS", AlpnPolicy = "HTTP2Preferred" }.WithTargets(target.Port);
        await using var harness = await StartTlsAsync(template, TestCertificates.Server("nlb.example.com"));
        await harness.WaitForHealthyAsync(NlbTemplate.TargetGroup, target.Port);

        var (stream, greeting, subject) = await ConnectAsync(harness.NodeAddress(NlbTemplate.LoadBalancer), "nlb.example.com", [SslApplicationProtocol.Http2]);
        await using (stream)
        {
            Assert.Equal(("encrypted", "nlb.example.com", "h2"), (greeting, subject, stream.NegotiatedApplicationProtocol.ToString()));
            Assert.Equal("twice encrypted", await EchoAsync(stream, "twice encrypted"));
        }
        var connection = Assert.Single(target.DataConnections);
        Assert.Equal("h2", connection.TlsProtocol);
    }
}
