using System.Diagnostics;
using Elbe.DataPlane.Listeners.Detaching;
using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests.IdleConnections;

/// <summary>
/// Kestrel's per-connection HTTP state is let go while a client connection idles between requests and rebuilt
/// when its next bytes arrive; nothing a client can observe may change: requests, pipelining, idle timeout,
/// client keep-alive, server stop, and ALB's pages for requests Kestrel refuses.
/// </summary>
public sealed class IdleConnectionDetachTests
{
    [Fact]
    public async Task A_connection_idle_past_the_detach_point_serves_its_next_requests()
    {
        await using var listener = await IdleListener.StartAsync(TimeSpan.FromSeconds(60));
        await using var client = await listener.ConnectAsync();
        AssertOk(await client.ExchangeAsync(KeptAliveClient.Get()));
        for (var round = 1; round <= 3; round++)
        {
            await listener.WaitForDetachesAsync(0, round);
            Assert.Equal(1, listener.Host.IdleConnections.Detached);
            AssertOk(await client.ExchangeAsync(KeptAliveClient.Get($"/again/{round}")));
        }
    }

    [Fact]
    public async Task A_new_connection_that_sends_nothing_detaches_and_then_serves()
    {
        await using var listener = await IdleListener.StartAsync(TimeSpan.FromSeconds(60));
        await using var client = await listener.ConnectAsync();
        await listener.WaitForDetachesAsync(0);
        AssertOk(await client.ExchangeAsync(KeptAliveClient.Get()));
    }

    [Fact]
    public async Task Pipelined_requests_arriving_on_a_detached_connection_are_all_answered_in_order()
    {
        await using var listener = await IdleListener.StartAsync(TimeSpan.FromSeconds(60));
        await using var client = await listener.ConnectAsync();
        AssertOk(await client.ExchangeAsync(KeptAliveClient.Get()));
        await listener.WaitForDetachesAsync(0);
        await client.SendAsync(KeptAliveClient.Get("/1") + KeptAliveClient.Get("/2") + KeptAliveClient.Get("/3"));
        for (var i = 0; i < 3; i++)
            AssertOk(await client.ReadResponseAsync());
    }

    /// <summary>
    /// Requests (single and pipelined) after random gaps around the detach point, on several connections at once,
    /// so some arrive exactly as the heartbeat detaches: every one must be answered.
    /// </summary>
    [Fact]
    public async Task Requests_arriving_as_the_sweep_detaches_are_never_lost()
    {
        await using var listener = await IdleListener.StartAsync(TimeSpan.FromSeconds(60));
        const int connections = 16, rounds = 16;
        var answered = 0;
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async c =>
        {
            var random = new Random(c);
            await using var client = await listener.ConnectAsync();
            for (var round = 0; round < rounds; round++)
            {
                // Gaps from well before to well after the detach point (250 ms, found by a sweep every 100 ms).
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(150, 550)));
                var pipelined = 1 + random.Next(3);
                await client.SendAsync(string.Concat(Enumerable.Range(0, pipelined).Select(i => KeptAliveClient.Get($"/{c}/{round}/{i}"))));
                for (var i = 0; i < pipelined; i++)
                {
                    AssertOk(await client.ReadResponseAsync());
                    Interlocked.Increment(ref answered);
                }
            }
        }));
        Assert.True(listener.Host.IdleConnections.Detaches > 0, "No connection detached, so the race was never run.");
        Assert.True(answered >= connections * rounds, $"Only {answered} responses.");
    }

    /// <summary>
    /// A wave of connections going idle together (more than one collection's worth) detaches, gets its memory
    /// collected once the wave has passed, and every connection still serves its next request.
    /// </summary>
    [Fact]
    public async Task A_wave_of_idle_connections_detaches_is_collected_and_still_serves()
    {
        await using var listener = await IdleListener.StartAsync(TimeSpan.FromSeconds(60));
        var collectionsBefore = DetachedStateCollection.Collections;
        const int count = DetachedStateCollection.WaveSize + 100;
        var clients = new List<KeptAliveClient>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var client = await listener.ConnectAsync();
                clients.Add(client);
                AssertOk(await client.ExchangeAsync(KeptAliveClient.Get($"/wave/{i}")));
            }
            await Eventually.TrueAsync(() => listener.Host.IdleConnections.Detached == count,
                $"Expected all {count} connections detached; {listener.Host.IdleConnections.Detached} are.", TimeSpan.FromSeconds(20));
            await Eventually.TrueAsync(() => DetachedStateCollection.Collections > collectionsBefore,
                "No collection ran after the wave of detaches.", TimeSpan.FromSeconds(10));
            foreach (var client in clients)
                AssertOk(await client.ExchangeAsync(KeptAliveClient.Get("/after-the-wave")));
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_detached_connection_closes_at_the_idle_timeout()
    {
        var idleTimeout = TimeSpan.FromSeconds(3);
        await using var listener = await IdleListener.StartAsync(idleTimeout);
        await using var client = await listener.ConnectAsync();
        AssertOk(await client.ExchangeAsync(KeptAliveClient.Get()));
        var idle = Stopwatch.StartNew();
        await listener.WaitForDetachesAsync(0);
        Assert.True(await client.ClosedWithinAsync(TimeSpan.FromSeconds(10)), "The idle connection was still open 10 s after the 3 s idle timeout.");
        // ALB closes at the idle timeout, not before (a little slack for when the client's clock started).
        Assert.True(idle.Elapsed >= idleTimeout - TimeSpan.FromMilliseconds(200), $"Closed after {idle.Elapsed.TotalSeconds:0.0} s, before the 3 s idle timeout.");
        await Eventually.TrueAsync(() => listener.Host.IdleConnections.Detached == 0, "The closed connection is still counted as detached.");
    }

    [Fact]
    public async Task A_connection_past_its_client_keep_alive_is_closed_after_its_next_response_even_when_detached()
    {
        var keepAlive = TimeSpan.FromSeconds(3);
        await using var listener = await IdleListener.StartAsync(TimeSpan.FromSeconds(60), keepAlive);
        await using var client = await listener.ConnectAsync();
        var age = Stopwatch.StartNew();
        var first = await client.ExchangeAsync(KeptAliveClient.Get());
        AssertOk(first);
        Assert.False(first.Headers.TryGetValue("Connection", out var early) && early.Contains("close", StringComparison.OrdinalIgnoreCase), "Closed before its keep-alive age.");
        await listener.WaitForDetachesAsync(0);
        var remaining = keepAlive + TimeSpan.FromMilliseconds(300) - age.Elapsed;
        if (remaining > TimeSpan.Zero) await Task.Delay(remaining);
        var last = await client.ExchangeAsync(KeptAliveClient.Get());
        AssertOk(last);
        Assert.True(last.Headers.TryGetValue("Connection", out var connection) && connection.Contains("close", StringComparison.OrdinalIgnoreCase),
            $"The response past client_keep_alive should close the connection: {last}");
        Assert.True(await client.ClosedWithinAsync(TimeSpan.FromSeconds(10)), "The connection stayed open after Connection: close.");
    }

    [Fact]
    public async Task Stopping_the_listener_closes_detached_connections_without_waiting_for_the_drain_timeout()
    {
        var listener = await IdleListener.StartAsync(TimeSpan.FromSeconds(60));
        try
        {
            await using var client = await listener.ConnectAsync();
            AssertOk(await client.ExchangeAsync(KeptAliveClient.Get()));
            await listener.WaitForDetachesAsync(0);
            var stop = Stopwatch.StartNew();
            await listener.Host.StopAsync(TimeSpan.FromSeconds(30));
            // Draining waits for connections that do not close; an idle one must close at once, far inside 30 s.
            Assert.True(stop.Elapsed < TimeSpan.FromSeconds(15), $"Stopping took {stop.Elapsed.TotalSeconds:0.0} s: the detached connection held the drain.");
            Assert.True(await client.ClosedWithinAsync(TimeSpan.FromSeconds(5)), "The detached connection is still open after the listener stopped.");
        }
        finally
        {
            await listener.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_request_stopped_halfway_through_its_headers_is_not_detached_and_gets_408_at_the_idle_timeout()
    {
        // Kestrel consumes complete header lines as it goes, so its input is empty while the request is half in.
        await using var listener = await IdleListener.StartAsync(TimeSpan.FromSeconds(3));
        await using var client = await listener.ConnectAsync();
        AssertOk(await client.ExchangeAsync(KeptAliveClient.Get()));
        await client.SendAsync("GET /half HTTP/1.1\r\nHost: idle.test\r\n");
        var timedOut = await client.ReadResponseAsync();
        AssertLoadBalancerPage(timedOut, 408);
        Assert.Equal(0, listener.Host.IdleConnections.Detaches);
    }

    [Fact]
    public async Task A_malformed_request_on_a_detached_connection_gets_the_load_balancers_400_page()
    {
        await using var listener = await IdleListener.StartAsync(TimeSpan.FromSeconds(60));
        await using var client = await listener.ConnectAsync();
        AssertOk(await client.ExchangeAsync(KeptAliveClient.Get()));
        await listener.WaitForDetachesAsync(0);
        var rejected = await client.ExchangeAsync("GET /has space HTTP/1.1\r\nHost: idle.test\r\n\r\n");
        AssertLoadBalancerPage(rejected, 400);
    }

    [Fact]
    public async Task An_unsupported_transfer_coding_on_a_detached_connection_gets_the_load_balancers_501_page()
    {
        await using var listener = await IdleListener.StartAsync(TimeSpan.FromSeconds(60));
        await using var client = await listener.ConnectAsync();
        AssertOk(await client.ExchangeAsync(KeptAliveClient.Get()));
        await listener.WaitForDetachesAsync(0);
        var rejected = await client.ExchangeAsync("POST / HTTP/1.1\r\nHost: idle.test\r\nTransfer-Encoding: gzip\r\n\r\n");
        AssertLoadBalancerPage(rejected, 501);
    }

    private static void AssertOk(RawHttpResponse response)
    {
        Assert.True(response.StatusCode == 200, $"Expected 200, got: {response}");
        Assert.Equal(IdleListener.Body, response.Body);
    }

    private static void AssertLoadBalancerPage(RawHttpResponse response, int status)
    {
        Assert.True(response.StatusCode == status, $"Expected {status}, got: {response}");
        Assert.Equal("awselb/2.0", response.Headers["Server"]);
        Assert.Contains("<html", response.Body, StringComparison.OrdinalIgnoreCase);
    }
}
