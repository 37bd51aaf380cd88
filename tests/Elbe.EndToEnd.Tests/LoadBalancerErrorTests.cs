using System.Net;
using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests;

/// <summary>Status codes the load balancer answers itself, each with its small HTML error page.</summary>
public sealed class LoadBalancerErrorTests(LoadBalancerErrorTests.ErrorFixture errors) : IClassFixture<LoadBalancerErrorTests.ErrorFixture>
{
    [Fact]
    public async Task A_target_group_without_targets_answers_503()
    {
        using var response = await errors.Harness.GetAsync("/empty/x");
        await AssertErrorPageAsync(response, HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task A_target_that_refuses_the_connection_answers_502()
    {
        using var response = await errors.Harness.GetAsync("/refused/x");
        await AssertErrorPageAsync(response, HttpStatusCode.BadGateway);
    }

    [Fact]
    public async Task A_target_that_resets_the_connection_answers_502()
    {
        using var response = await errors.Harness.GetAsync("/reset");
        await AssertErrorPageAsync(response, HttpStatusCode.BadGateway);
    }

    [Fact]
    public async Task A_target_that_answers_garbage_answers_502()
    {
        using var response = await errors.Harness.GetAsync("/garbage/x");
        await AssertErrorPageAsync(response, HttpStatusCode.BadGateway);
        Assert.True(errors.Garbage.MalformedAnswers > 0, "The malformed target was never reached, so the 502 came from somewhere else.");
    }

    [Fact]
    public async Task A_target_slower_than_the_idle_timeout_answers_504()
    {
        using var response = await errors.Harness.GetAsync("/slow?ms=3000");
        await AssertErrorPageAsync(response, HttpStatusCode.GatewayTimeout);
    }

    [Fact]
    public async Task A_target_faster_than_the_idle_timeout_is_not_cut()
    {
        using var response = await errors.Harness.GetAsync("/slow?ms=200");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("backend=ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Trace_answers_405()
    {
        using var request = new HttpRequestMessage(HttpMethod.Trace, errors.Harness.Url("/"));
        using var response = await errors.Harness.Client.SendAsync(request);
        await AssertErrorPageAsync(response, HttpStatusCode.MethodNotAllowed);
        Assert.Equal(0, errors.Backend.RequestsByMethod("TRACE"));
    }

    [Fact]
    public async Task X_forwarded_for_with_31_addresses_answers_463_and_30_are_accepted()
    {
        static string Addresses(int count) => string.Join(", ", Enumerable.Range(1, count).Select(i => $"10.0.0.{i}"));

        using var tooMany = new HttpRequestMessage(HttpMethod.Get, errors.Harness.Url("/"));
        tooMany.Headers.TryAddWithoutValidation("X-Forwarded-For", Addresses(31));
        using var rejected = await errors.Harness.Client.SendAsync(tooMany);
        await AssertErrorPageAsync(rejected, (HttpStatusCode)463);

        using var justEnough = new HttpRequestMessage(HttpMethod.Get, errors.Harness.Url("/"));
        justEnough.Headers.TryAddWithoutValidation("X-Forwarded-For", Addresses(30));
        using var accepted = await errors.Harness.Client.SendAsync(justEnough);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task A_malformed_request_line_answers_400()
    {
        // A method with a non-token character: malformed for every parser, and not a version problem (which may be 505).
        var response = await RawHttpExchange.SendAsync(errors.Harness.NodeAddress(), CfnTemplate.ListenerPort, "G@T / HTTP/1.1\r\nHost: test\r\n\r\n");
        AssertErrorPage(response, 400);
    }

    [Fact]
    public async Task A_request_line_over_16K_answers_414_or_400()
    {
        var path = "/" + new string('a', 17 * 1024);
        var response = await RawHttpExchange.SendAsync(errors.Harness.NodeAddress(), CfnTemplate.ListenerPort, $"GET {path} HTTP/1.1\r\nHost: test\r\n\r\n");
        Assert.True(response.StatusCode is 414 or 400, $"Expected 414 or 400, got: {response}");
        AssertErrorPage(response, response.StatusCode);
    }

    [Fact]
    public async Task A_request_line_under_16K_is_forwarded()
    {
        // Kestrel's own default limit is 8 K; ALB accepts up to 16 K, so this catches a proxy that kept the default.
        var path = "/" + new string('b', 12 * 1024);
        var response = await RawHttpExchange.SendAsync(errors.Harness.NodeAddress(), CfnTemplate.ListenerPort, $"GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
        Assert.True(response.StatusCode == 200, $"Expected 200, got: {response}");
        Assert.Equal("backend=ok", response.Body);
    }

    [Fact]
    public async Task A_single_header_over_16K_answers_400()
    {
        var response = await RawHttpExchange.SendAsync(errors.Harness.NodeAddress(), CfnTemplate.ListenerPort,
            $"GET / HTTP/1.1\r\nHost: test\r\nX-Big: {new string('h', 17 * 1024)}\r\nConnection: close\r\n\r\n");
        AssertErrorPage(response, 400);
    }

    [Fact]
    public async Task Headers_totalling_over_64K_answer_400()
    {
        var headers = string.Concat(Enumerable.Range(0, 5).Select(i => $"X-Part-{i}: {new string('h', 14 * 1024)}\r\n"));
        var response = await RawHttpExchange.SendAsync(errors.Harness.NodeAddress(), CfnTemplate.ListenerPort,
            $"GET / HTTP/1.1\r\nHost: test\r\n{headers}Connection: close\r\n\r\n");
        AssertErrorPage(response, 400);
    }

    [Fact]
    public async Task Headers_totalling_40K_are_forwarded()
    {
        // Kestrel's own default total is 32 K; ALB allows 64 K with no single header over 16 K.
        var headers = string.Concat(Enumerable.Range(0, 3).Select(i => $"X-Part-{i}: {new string('h', 13 * 1024)}\r\n"));
        var response = await RawHttpExchange.SendAsync(errors.Harness.NodeAddress(), CfnTemplate.ListenerPort,
            $"GET / HTTP/1.1\r\nHost: test\r\n{headers}Connection: close\r\n\r\n");
        Assert.True(response.StatusCode == 200, $"Expected 200, got: {response}");
        Assert.Equal("backend=ok", response.Body);
    }

    [Fact]
    public async Task A_response_header_over_32K_answers_502_and_a_smaller_one_passes()
    {
        using var small = await errors.Harness.GetAsync("/bigheader?bytes=20000");
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        Assert.Equal(20000, small.Headers.GetValues("X-Big").Single().Length);

        using var large = await errors.Harness.GetAsync("/bigheader?bytes=40000");
        await AssertErrorPageAsync(large, HttpStatusCode.BadGateway);
    }

    [Fact]
    public async Task A_client_that_stops_mid_request_past_the_idle_timeout_gets_408()
    {
        // The headers never end; with a 1 s idle timeout the load balancer gives up long before the exchange's 10 s limit.
        var response = await RawHttpExchange.SendAsync(errors.Harness.NodeAddress(), CfnTemplate.ListenerPort, "GET / HTTP/1.1\r\nHost: test\r\n");
        AssertErrorPage(response, 408);
    }

    [Fact]
    public async Task Transfer_encoding_gzip_answers_501()
    {
        var response = await RawHttpExchange.SendAsync(errors.Harness.NodeAddress(), CfnTemplate.ListenerPort,
            "POST / HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: gzip\r\nConnection: close\r\n\r\n");
        AssertErrorPage(response, 501);
    }

    [Fact]
    public async Task A_coding_before_chunked_that_alb_does_not_support_answers_501()
    {
        // Kestrel accepts this framing (chunked is last), so the check is the request handler's, not Kestrel's.
        var response = await RawHttpExchange.SendAsync(errors.Harness.NodeAddress(), CfnTemplate.ListenerPort,
            "POST / HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: identity, br ;q=1, chunked\r\nConnection: close\r\n\r\n0\r\n\r\n");
        AssertErrorPage(response, 501);
    }

    private static async Task AssertErrorPageAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains("X-Backend"), "The error page came from a backend, not from the load balancer.");
        AssertSmallHtml(body);
    }

    private static void AssertErrorPage(RawHttpResponse response, int expected)
    {
        Assert.True(response.StatusCode == expected, $"Expected {expected}, got: {response}");
        Assert.True(response.Headers.TryGetValue("Content-Type", out var contentType) && contentType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase),
            $"Expected a text/html error page, got: {response}");
        AssertSmallHtml(response.Body);
    }

    private static void AssertSmallHtml(string body)
    {
        Assert.Contains("<html", body, StringComparison.OrdinalIgnoreCase);
        Assert.True(body.Length < 4096, $"An error page should be small, this one is {body.Length} characters.");
    }

    public sealed class ErrorFixture : IAsyncLifetime
    {
        private ElbeHarness? harness;
        private BackendServer? backend;
        private MalformedResponseTarget? garbage;

        public ElbeHarness Harness => harness ?? throw new InvalidOperationException("The fixture did not start.");
        public BackendServer Backend => backend ?? throw new InvalidOperationException("The fixture did not start.");
        public MalformedResponseTarget Garbage => garbage ?? throw new InvalidOperationException("The fixture did not start.");

        public async Task InitializeAsync()
        {
            backend = await BackendServer.StartAsync("ok");
            garbage = MalformedResponseTarget.Start();
            var template = new CfnTemplate()
                .LoadBalancer(attributes: new Dictionary<string, string> { ["idle_timeout.timeout_seconds"] = "1" })
                .TargetGroup("Ok", [backend.Port])
                .TargetGroup("Empty", [])
                .TargetGroup("Refused", [ClosedPort.Find()])
                .TargetGroup("Garbage", [garbage.Port])
                .Listener(CfnActions.Forward("Ok"))
                .Rule("ToEmpty", 10, PathRule("/empty/*"), CfnActions.Forward("Empty"))
                .Rule("ToRefused", 20, PathRule("/refused/*"), CfnActions.Forward("Refused"))
                .Rule("ToGarbage", 30, PathRule("/garbage/*"), CfnActions.Forward("Garbage"));
            harness = await ElbeHarness.StartAsync(template.ToString());
            await harness.WaitForHealthyAsync("Ok", backend.Port);
            await harness.WaitForHealthyAsync("Garbage", garbage.Port);
        }

        private static string PathRule(string pattern) => $"""
            - Field: path-pattern
              PathPatternConfig:
                Values: ['{pattern}']
            """;

        public async Task DisposeAsync()
        {
            if (harness is not null)
                await harness.DisposeAsync();
            if (backend is not null)
                await backend.DisposeAsync();
            if (garbage is not null)
                await garbage.DisposeAsync();
        }
    }
}
