using System.Net;
using System.Text;
using Elbe.EndToEnd.Tests.Infrastructure;
using Elbe.Tests.Certificates;
using Answer = Elbe.EndToEnd.Tests.Infrastructure.ScriptedHttpTarget.Answer;

namespace Elbe.EndToEnd.Tests.Http1;

/// <summary>
/// The lean HTTP/1.1 path to plain-HTTP targets, against a raw-socket target that sends what a scripted test wants:
/// ambiguous or malformed responses end in ALB's 502, every legal framing reaches the client intact, and target
/// connections are kept, reused and replaced when the target closed them.
/// </summary>
public sealed class Http1ForwardingTests(Http1ForwardingTests.ScriptedFixture fixture) : IClassFixture<Http1ForwardingTests.ScriptedFixture>
{
    [Theory]
    [InlineData("/duplicate-length")]
    [InlineData("/conflicting-length")]
    [InlineData("/length-list")]
    [InlineData("/length-and-chunked")]
    [InlineData("/obs-fold")]
    [InlineData("/bare-lf")]
    [InlineData("/bare-cr")]
    [InlineData("/space-before-colon")]
    [InlineData("/gzip-coding")]
    [InlineData("/lookalike-coding")]
    [InlineData("/bad-chunk-size")]
    [InlineData("/huge-chunk-size")]
    [InlineData("/unasked-switch")]
    [InlineData("/http-2-status-line")]
    public async Task An_ambiguous_or_malformed_response_answers_502(string path)
    {
        using var response = await fixture.Harness.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadGateway, $"{path}: expected 502, got {(int)response.StatusCode}: {body}");
        Assert.Contains("502 Bad Gateway", body);
    }

    [Fact]
    public async Task A_chunked_response_with_extensions_and_trailers_arrives_decoded()
    {
        using var response = await fixture.Harness.GetAsync("/chunked-trailers");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello world", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/large-length")]
    [InlineData("/large-chunked")]
    [InlineData("/large-close-delimited")]
    public async Task A_large_body_arrives_whole_in_every_framing(string path)
    {
        for (var i = 0; i < 3; i++)
        {
            using var response = await fixture.Harness.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(LargeBody, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_chunked_responses_trailers_reach_an_http2_client()
    {
        // HTTP/1.1 has no response trailers in Kestrel; an HTTP/2 client (over the HTTPS listener) gets them.
        await using var target = ScriptedHttpTarget.Start(Script);
        await using var setup = await HttpsSetup.StartAsync();
        var arn = await setup.ImportAsync(TestCertificates.Server("www.example.com", ["www.example.com"]));
        await setup.Elbe.ReloadAsync(setup.Template()
            .TargetGroup("Scripted", [target.Port])
            .HttpsListener(CfnActions.Forward("Scripted"), arn)
            .ToString());
        await setup.Elbe.WaitForHealthyAsync("Scripted", target.Port);

        using var client = HttpsSetup.InsecureClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, setup.HttpsUrl("/chunked-trailers"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("hello world", await response.Content.ReadAsStringAsync());
        Assert.Equal("42", response.TrailingHeaders.GetValues("X-Sum").Single());
    }

    [Fact]
    public async Task A_target_silent_mid_body_past_the_idle_timeout_gets_the_client_response_cut()
    {
        await using var target = ScriptedHttpTarget.Start(Script);
        var template = new CfnTemplate()
            .LoadBalancer(attributes: new Dictionary<string, string> { ["idle_timeout.timeout_seconds"] = "1" })
            .TargetGroup("Scripted", [target.Port])
            .Listener(CfnActions.Forward("Scripted"));
        await using var elbe = await ElbeHarness.StartAsync(template.ToString());
        await elbe.WaitForHealthyAsync("Scripted", target.Port);

        // The head and 5 of 100 bytes arrive, then the target keeps the connection open and says nothing.
        using var response = await elbe.Client.GetAsync(elbe.Url("/stall-mid-body"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Assert.ThrowsAnyAsync<Exception>(() => response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_close_delimited_body_arrives_whole()
    {
        using var response = await fixture.Harness.GetAsync("/close-delimited");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("until the target closes", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_head_response_keeps_its_length_and_has_no_body()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, fixture.Harness.Url("/head"));
        using var response = await fixture.Harness.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1234, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        // The same pooled connection then carries a GET, so nothing of a body was left on it.
        Assert.Equal("after-head", await GetTextAsync("/after-head"));
    }

    [Theory]
    [InlineData("/no-content", HttpStatusCode.NoContent)]
    [InlineData("/not-modified", HttpStatusCode.NotModified)]
    public async Task Bodiless_statuses_pass_with_their_headers(string path, HttpStatusCode status)
    {
        using var response = await fixture.Harness.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("X-Scripted").Single());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Interim_responses_are_skipped()
    {
        using var response = await fixture.Harness.GetAsync("/early-hints");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("final", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_body_cut_short_by_the_target_fails_the_client_response()
    {
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var response = await fixture.Harness.GetAsync("/truncated");
            await response.Content.ReadAsByteArrayAsync();
        });
    }

    [Fact]
    public async Task Sequential_requests_share_one_kept_alive_target_connection()
    {
        var seen = new HashSet<string>();
        for (var i = 0; i < 5; i++) seen.Add(await GetTextAsync("/connection"));
        Assert.True(seen.Count == 1, $"Five sequential requests used {seen.Count} target connections: {string.Join(", ", seen)}");
    }

    [Fact]
    public async Task A_pooled_connection_the_target_closed_does_not_fail_the_next_request()
    {
        var closedBefore = fixture.Target.ClosedSoonAfter;
        Assert.Equal("soon", await GetTextAsync("/close-soon"));
        await Eventually.TrueAsync(() => fixture.Target.ClosedSoonAfter > closedBefore, "The target never closed its kept-alive connection.");
        // The load balancer still holds the closed connection in its pool; the request must go through anyway.
        Assert.Equal("conn=", (await GetTextAsync("/connection"))[..5]);
    }

    [Fact]
    public async Task A_1_MiB_chunked_upload_reaches_the_target_byte_for_byte()
    {
        var payload = new byte[1024 * 1024];
        new Random(6).NextBytes(payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, fixture.Harness.Url("/upload"))
        {
            // A stream of unknown length: the client sends it chunked.
            Content = new StreamContent(new UnseekableStream(payload)),
        };
        using var response = await fixture.Harness.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"framing=chunked received={payload.Length} sum={Checksum(payload)}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_content_length_upload_keeps_its_length()
    {
        var payload = Encoding.ASCII.GetBytes(new string('x', 100_000));
        using var response = await fixture.Harness.Client.PostAsync(fixture.Harness.Url("/upload"), new ByteArrayContent(payload));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"framing=length received={payload.Length} sum={Checksum(payload)}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Hop_by_hop_headers_stay_behind_and_alb_headers_replace_forged_ones()
    {
        var response = await RawHttpExchange.SendAsync(fixture.Harness.NodeAddress(), CfnTemplate.ListenerPort,
            "GET /head-echo?q=%41 HTTP/1.1\r\nHost: Example.COM\r\nKeep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nTE: trailers\r\n" +
            "X-Forwarded-Proto: forged\r\nX-Forwarded-Port: 1\r\nX-Custom: kept\r\nConnection: close\r\n\r\n");
        Assert.Equal(200, response.StatusCode);
        var head = response.Body;
        Assert.StartsWith("GET /head-echo?q=%41 HTTP/1.1\r\n", head);
        Assert.Contains("X-Custom: kept\r\n", head);
        Assert.Contains("X-Forwarded-Proto: http\r\n", head);
        Assert.Contains($"X-Forwarded-Port: {CfnTemplate.ListenerPort}\r\n", head);
        Assert.Contains("Host: example.com:8080\r\n", head);
        foreach (var dropped in new[] { "Keep-Alive", "Proxy-Connection", "TE:", "forged", "X-Forwarded-Port: 1\r\n", "Connection" })
            Assert.DoesNotContain(dropped, head);
    }

    private async Task<string> GetTextAsync(string path)
    {
        using var response = await fixture.Harness.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return body;
    }

    internal static long Checksum(byte[] bytes)
    {
        long sum = 0;
        for (var i = 0; i < bytes.Length; i++) sum = (sum * 31 + bytes[i]) % 1_000_000_007;
        return sum;
    }

    private static readonly string LargeBody = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"{i:x5}"));

    private static string LargeChunked()
    {
        var body = new StringBuilder();
        for (var offset = 0; offset < LargeBody.Length; offset += 7_777)
        {
            var piece = LargeBody.Substring(offset, Math.Min(7_777, LargeBody.Length - offset));
            body.Append($"{piece.Length:x}\r\n{piece}\r\n");
        }
        return body.Append("0\r\n\r\n").ToString();
    }

    private static Answer Script(ScriptedRequest request)
    {
        static Answer Final(string bytes) => new(bytes, CloseAfter: true);
        return request.Path switch
        {
            "/duplicate-length" => Final("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok"),
            "/conflicting-length" => Final("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok!"),
            "/length-list" => Final("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok"),
            "/length-and-chunked" => Final("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"),
            "/obs-fold" => Final("HTTP/1.1 200 OK\r\nX-A: 1\r\n  2\r\nContent-Length: 2\r\n\r\nok"),
            "/bare-lf" => Final("HTTP/1.1 200 OK\nContent-Length: 2\n\nok"),
            "/bare-cr" => Final("HTTP/1.1 200 OK\r\nX-A: 1\r2\r\nContent-Length: 2\r\n\r\nok"),
            "/space-before-colon" => Final("HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok"),
            "/gzip-coding" => Final("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nok"),
            "/lookalike-coding" => Final("HTTP/1.1 200 OK\r\nTransfer_Encoding: chunked\r\nContent-Length: 2\r\n\r\nok"),
            "/bad-chunk-size" => Final("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n"),
            "/huge-chunk-size" => Final("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nok\r\n0\r\n\r\n"),
            "/unasked-switch" => Final("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"),
            "/http-2-status-line" => Final("HTTP/2 200 OK\r\nContent-Length: 2\r\n\r\nok"),
            "/chunked-trailers" => new("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Sum: 42\r\n\r\n"),
            "/large-length" => new($"HTTP/1.1 200 OK\r\nContent-Length: {LargeBody.Length}\r\n\r\n{LargeBody}"),
            "/large-chunked" => new($"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{LargeChunked()}"),
            "/large-close-delimited" => Final($"HTTP/1.1 200 OK\r\n\r\n{LargeBody}"),
            "/close-delimited" => Final("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the target closes"),
            "/head" => new("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n"),
            "/after-head" => new("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nafter-head"),
            "/no-content" => new("HTTP/1.1 204 No Content\r\nX-Scripted: 1\r\n\r\n"),
            "/not-modified" => new("HTTP/1.1 304 Not Modified\r\nX-Scripted: 1\r\nETag: \"v1\"\r\n\r\n"),
            "/early-hints" => new("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal"),
            "/stall-mid-body" => new("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nstart"),
            "/truncated" => Final("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort"),
            "/close-soon" => new("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nsoon", CloseSoonAfter: true),
            "/connection" => Text($"conn={request.ConnectionId}"),
            "/upload" => Text($"framing={(request.Headers.ContainsKey("transfer-encoding") ? "chunked" : "length")} received={request.Body.Length} sum={Checksum(request.Body)}"),
            "/head-echo" => Text(request.Head),
            _ => Text("scripted"),
        };
    }

    private static Answer Text(string body) =>
        new($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {Encoding.Latin1.GetByteCount(body)}\r\n\r\n{body}");

    /// <summary>A stream HttpClient cannot know the length of, so it sends it chunked.</summary>
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    public sealed class ScriptedFixture : IAsyncLifetime
    {
        private ElbeHarness? harness;
        private ScriptedHttpTarget? target;

        public ElbeHarness Harness => harness ?? throw new InvalidOperationException("The fixture did not start.");
        public ScriptedHttpTarget Target => target ?? throw new InvalidOperationException("The fixture did not start.");

        public async Task InitializeAsync()
        {
            target = ScriptedHttpTarget.Start(Script);
            var template = new CfnTemplate().LoadBalancer().TargetGroup("Scripted", [target.Port]).Listener(CfnActions.Forward("Scripted"));
            harness = await ElbeHarness.StartAsync(template.ToString());
            await harness.WaitForHealthyAsync("Scripted", target.Port);
        }

        public async Task DisposeAsync()
        {
            if (harness is not null) await harness.DisposeAsync();
            if (target is not null) await target.DisposeAsync();
        }
    }
}
