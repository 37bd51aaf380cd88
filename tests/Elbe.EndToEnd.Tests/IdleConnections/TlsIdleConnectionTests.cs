using Elbe.EndToEnd.Tests.Infrastructure;
using Elbe.Tests.Certificates;

namespace Elbe.EndToEnd.Tests.IdleConnections;

/// <summary>HTTPS connections speaking HTTP/1.1 detach while idle too: TLS records resume where they stopped.</summary>
public sealed class TlsIdleConnectionTests
{
    [Fact]
    public async Task An_https_connection_idle_past_the_detach_point_serves_its_next_requests()
    {
        await using var setup = await HttpsSetup.StartAsync();
        var arn = await setup.ImportAsync(TestCertificates.Server("www.example.com"));
        await setup.AddHttpsListenerAsync(arn);
        await using var client = await KeptAliveClient.ConnectTlsAsync(setup.Node, HttpsSetup.Port);
        for (var round = 0; round < 3; round++)
        {
            var response = await client.ExchangeAsync(KeptAliveClient.Get($"/echo?round={round}"));
            Assert.True(response.StatusCode == 200, $"Round {round}: {response}");
            Assert.Contains($"round={round}", response.Body, StringComparison.Ordinal);
            // Idle well past the detach point (250 ms, found by a sweep every 100 ms).
            await Task.Delay(TimeSpan.FromMilliseconds(DetachAfter + 750));
        }
    }

    /// <summary>Requests after random gaps around the detach point on several TLS connections: none may be lost.</summary>
    [Fact]
    public async Task Https_requests_arriving_as_the_sweep_detaches_are_never_lost()
    {
        await using var setup = await HttpsSetup.StartAsync();
        var arn = await setup.ImportAsync(TestCertificates.Server("www.example.com"));
        await setup.AddHttpsListenerAsync(arn);
        const int connections = 8, rounds = 10;
        var answered = 0;
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async c =>
        {
            var random = new Random(c);
            await using var client = await KeptAliveClient.ConnectTlsAsync(setup.Node, HttpsSetup.Port);
            for (var round = 0; round < rounds; round++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(150, 550)));
                var response = await client.ExchangeAsync(KeptAliveClient.Get($"/echo?c={c}&round={round}"));
                Assert.True(response.StatusCode == 200, $"Connection {c}, round {round}: {response}");
                Assert.Contains($"round={round}", response.Body, StringComparison.Ordinal);
                Interlocked.Increment(ref answered);
            }
        }));
        Assert.Equal(connections * rounds, answered);
    }

    private const long DetachAfter = Elbe.DataPlane.Listeners.Detaching.DetachableConnection.DetachAfterMs;
}
