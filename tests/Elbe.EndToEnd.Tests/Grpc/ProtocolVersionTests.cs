using System.Net;
using Elbe.EndToEnd.Tests.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Elbe.EndToEnd.Tests.Grpc;

/// <summary>
/// Target group protocol versions seen from an HTTP/1.1 client (fact sheet 1.10): HTTP1 groups serve it, HTTP2 and
/// GRPC groups answer 464; HTTP2 groups are health-checked over HTTP/2; HTTPS groups get TLS without certificate checks.
/// </summary>
public sealed class ProtocolVersionTests
{
    [Fact]
    public async Task Http1_requests_reach_http1_groups_and_get_464_from_http2_and_grpc_groups()
    {
        await using var plain = await GrpcBackend.StartAsync("plain", HttpProtocols.Http1);
        await using var h2 = await GrpcBackend.StartAsync("h2", HttpProtocols.Http2);
        await using var grpc = await GrpcBackend.StartAsync("grpc", HttpProtocols.Http2);
        // HTTP2 and GRPC groups serve only HTTPS listeners; HTTP/1.1 over TLS is what gets the 464.
        CfnTemplate Template(string certificateArn) => new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Plain", [plain.Port])
            .TargetGroup("Two", [h2.Port], protocolVersion: "HTTP2")
            .TargetGroup("Rpc", [grpc.Port], protocolVersion: "GRPC",
                healthCheck: new HealthCheckTemplate { Path = TestGrpcMethods.CheckPath, MatcherGrpcCode = "0" })
            .HttpsListener(CfnActions.Forward("Plain"), certificateArn)
            .Rule("ToTwo", 10, PathIs("/two/*"), CfnActions.Forward("Two"), listener: CfnTemplate.DefaultHttpsListener)
            .Rule("ToRpc", 20, PathIs("/rpc/*"), CfnActions.Forward("Rpc"), listener: CfnTemplate.DefaultHttpsListener);
        await using var elbe = await ElbeHarness.StartWithCertificateAsync(Template);
        using var client = HttpsSetup.InsecureClient();
        Uri Url(string path) => new($"https://{elbe.NodeAddress()}:{CfnTemplate.HttpsListenerPort}{path}");
        await elbe.WaitForHealthyAsync("Plain", plain.Port);
        // The HTTP/2-only target can pass only a check sent over HTTP/2.
        await elbe.WaitForHealthyAsync("Two", h2.Port);
        await elbe.WaitForHealthyAsync("Rpc", grpc.Port);

        using (var ok = await client.GetAsync(Url("/x")))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("backend=plain protocol=HTTP/1.1 https=False", await ok.Content.ReadAsStringAsync());
        }

        using (var toTwo = await client.GetAsync(Url("/two/x")))
            await AssertPage464Async(toTwo);
        using (var toRpc = await client.PostAsync(Url("/rpc/x"), new ByteArrayContent([0, 0, 0, 0, 0])))
            await AssertPage464Async(toRpc);
        Assert.Equal(0, h2.PlainRequests);
        Assert.Equal(0, grpc.PlainRequests);
        Assert.Equal(0, grpc.Calls);
    }

    [Fact]
    public async Task An_http1_group_checks_over_http1_so_an_http2_only_target_fails()
    {
        await using var h2 = await GrpcBackend.StartAsync("h2", HttpProtocols.Http2);
        var template = new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Plain", [h2.Port])
            .Listener(CfnActions.Forward("Plain"));
        await using var elbe = await ElbeHarness.StartAsync(template.ToString());

        // Kestrel's HTTP/2-only endpoint answers an HTTP/1.1 request with a bare 400.
        await UnhealthyReason.WaitAsync(elbe, "Plain", h2.Port, "Target.ResponseCodeMismatch", "Health checks failed with these codes: [400]");
    }

    [Fact]
    public async Task An_https_group_speaks_tls_to_a_self_signed_target_for_traffic_and_checks()
    {
        await using var secure = await GrpcBackend.StartAsync("secure", HttpProtocols.Http1, tls: true);
        var template = new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Secure", [secure.Port], protocol: "HTTPS", healthCheck: new HealthCheckTemplate { Protocol = "HTTPS" })
            .Listener(CfnActions.Forward("Secure"));
        await using var elbe = await ElbeHarness.StartAsync(template.ToString());
        await elbe.WaitForHealthyAsync("Secure", secure.Port);

        using var response = await elbe.GetAsync("/hello");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("backend=secure protocol=HTTP/1.1 https=True", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_https_http2_group_negotiates_h2_with_its_target()
    {
        await using var secure = await GrpcBackend.StartAsync("secure2", HttpProtocols.Http1AndHttp2, tls: true);
        CfnTemplate Template(string certificateArn) => new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Secure", [secure.Port], protocol: "HTTPS", protocolVersion: "GRPC",
                healthCheck: new HealthCheckTemplate { Protocol = "HTTPS", Path = TestGrpcMethods.CheckPath, MatcherGrpcCode = "0" })
            .HttpsListener(CfnActions.Forward("Secure"), certificateArn, name: "Front");
        await using var elbe = await ElbeHarness.StartWithCertificateAsync(Template);
        await elbe.WaitForHealthyAsync("Secure", secure.Port);

        Assert.StartsWith("POST HTTP/2 application/grpc ELB-HealthChecker/2.0 https=True", secure.LastHealthCheck);
    }

    [Fact]
    public async Task An_https_group_whose_target_does_not_speak_tls_answers_502()
    {
        await using var plain = await GrpcBackend.StartAsync("plain", HttpProtocols.Http1);
        var template = new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Secure", [plain.Port], protocol: "HTTPS", healthCheck: new HealthCheckTemplate { Protocol = "HTTPS" })
            .Listener(CfnActions.Forward("Secure"));
        await using var elbe = await ElbeHarness.StartAsync(template.ToString());
        await UnhealthyReason.WaitAsync(elbe, "Secure", plain.Port, "Target.FailedHealthChecks");

        // Its only target is unhealthy, so the group fails open and the failed handshake is the client's 502.
        using var response = await elbe.GetAsync("/hello");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(0, plain.PlainRequests);
    }

    [Fact]
    public async Task A_target_that_never_finishes_the_tls_handshake_answers_502_after_the_handshake_timeout()
    {
        await using var silent = SilentTcpTarget.Start();
        var template = new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Secure", [silent.Port], protocol: "HTTPS", healthCheck: new HealthCheckTemplate { Protocol = "HTTPS" })
            .Listener(CfnActions.Forward("Secure"));
        await using var elbe = await ElbeHarness.StartAsync(template.ToString());
        await elbe.WaitForTargetStateAsync("Secure", silent.Port, "unhealthy");

        // The group fails open; the connection is accepted but TLS never completes: 502, where a connect timeout would be 504.
        using var response = await elbe.GetAsync("/hello");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }

    [Fact]
    public async Task An_http2_preface_on_an_http_listener_answers_505()
    {
        await using var backend = await GrpcBackend.StartAsync("plain", HttpProtocols.Http1);
        var template = new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Plain", [backend.Port])
            .Listener(CfnActions.Forward("Plain"));
        await using var elbe = await ElbeHarness.StartAsync(template.ToString());

        var response = await RawHttpExchange.SendAsync(elbe.NodeAddress(), CfnTemplate.ListenerPort, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        Assert.Equal(505, response.StatusCode);
        Assert.Contains("505 HTTP Version Not Supported", response.Body);
        Assert.Equal(0, backend.PlainRequests);
    }

    private static string PathIs(string pattern) =>
        $"""
        - Field: path-pattern
          PathPatternConfig:
            Values: ['{pattern}']
        """;

    private static async Task AssertPage464Async(HttpResponseMessage response)
    {
        Assert.Equal(464, (int)response.StatusCode);
        Assert.Contains("awselb/2.0", response.Headers.Server.ToString());
        Assert.Contains("464", await response.Content.ReadAsStringAsync());
    }
}
