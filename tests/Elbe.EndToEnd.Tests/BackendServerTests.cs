using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests;

/// <summary>The test backends themselves, hit directly: if these fail, every load balancer test below is meaningless.</summary>
public sealed class BackendServerTests
{
    [Fact]
    public async Task Backend_answers_with_its_name_echoes_requests_and_switches_health()
    {
        await using var backend = await BackendServer.StartAsync("direct");
        using var client = BoundHttpClient.Create();
        var root = $"http://127.0.0.1:{backend.Port}";

        using var hello = await client.GetAsync(root + "/anything/at/all");
        Assert.Equal("backend=direct", await hello.Content.ReadAsStringAsync());
        Assert.Equal("direct", hello.Headers.GetValues("X-Backend").Single());

        using var echoRequest = new HttpRequestMessage(HttpMethod.Put, root + "/echo/x?q=1");
        echoRequest.Headers.Add("X-Probe", ["a", "b"]);
        using var echoResponse = await client.SendAsync(echoRequest);
        var echoed = JsonSerializer.Deserialize<EchoedRequest>(await echoResponse.Content.ReadAsStringAsync())!;
        Assert.Equal(("PUT", "/echo/x", "?q=1"), (echoed.Method, echoed.Path, echoed.QueryString));
        Assert.Equal("a, b", echoed.Header("x-probe"));

        using (var healthy = await client.GetAsync(root + BackendServer.HealthPath))
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        backend.SetHealthy(false);
        using (var sick = await client.GetAsync(root + BackendServer.HealthPath))
            Assert.Equal(HttpStatusCode.InternalServerError, sick.StatusCode);

        using var status = await client.GetAsync(root + "/status/418");
        Assert.Equal((HttpStatusCode)418, status.StatusCode);
        Assert.Equal(3, backend.TotalRequests);
        Assert.Equal(2, backend.HealthChecks);
    }

    [Fact]
    public async Task Backend_sets_cookies_resets_connections_and_echoes_websockets()
    {
        await using var backend = await BackendServer.StartAsync("direct");
        using var client = BoundHttpClient.Create();
        var root = $"http://127.0.0.1:{backend.Port}";

        using var cookie = await client.GetAsync(root + "/setcookie?name=APPSESSION");
        Assert.StartsWith("APPSESSION=direct-", cookie.Headers.GetValues("Set-Cookie").Single(), StringComparison.Ordinal);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(root + "/reset"));

        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{backend.Port}/ws"), timeout.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes("ping"), WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[64];
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal("ping", Encoding.UTF8.GetString(buffer, 0, received.Count));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
    }

    [Fact]
    public async Task Malformed_target_passes_health_checks_but_answers_garbage()
    {
        await using var target = MalformedResponseTarget.Start();
        var health = await RawHttpExchange.SendAsync("127.0.0.1", target.Port, "GET /health HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.Equal(200, health.StatusCode);
        var garbage = await RawHttpExchange.SendAsync("127.0.0.1", target.Port, "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.Equal(0, garbage.StatusCode);
        Assert.StartsWith("THIS IS NOT HTTP", garbage.Raw, StringComparison.Ordinal);
        Assert.Equal(1, target.MalformedAnswers);
    }
}
