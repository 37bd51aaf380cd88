using System.Diagnostics;
using System.Net;
using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests.IdleConnections;

/// <summary>
/// HTTP listeners take a connection from the kernel only once its first bytes arrived (TCP_DEFER_ACCEPT): until
/// then the kernel keeps it half-open (SYN_RECV) with no socket for the load balancer, and the request that
/// follows is served as any other.
/// </summary>
public sealed class DeferredAcceptTests
{
    [Fact]
    public async Task A_client_that_has_sent_nothing_stays_half_open_until_its_request_arrives()
    {
        await using var listener = await IdleListener.StartAsync(TimeSpan.FromSeconds(60));
        var server = new IPEndPoint(IPAddress.Parse(listener.Address), listener.Port);

        // The kernel holds a silent connection for about a second (DeferredAccept's wait) and then hands it over
        // anyway. A reading taken after that, because a loaded machine stalled the test, says nothing about the
        // listener, so such a try is made again on a new connection; a listener accepting at once fails every try.
        for (var attempt = 1; ; attempt++)
        {
            var sinceSyn = Stopwatch.StartNew();
            await using var client = await listener.ConnectAsync();
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            var state = ProcNetTcp.StateOf(server, client.LocalEndPoint);
            if (sinceSyn.Elapsed > HalfOpenReadingLimit && attempt < Attempts) continue;

            Assert.Equal(ProcNetTcp.SynReceived, state);
            var response = await client.ExchangeAsync(KeptAliveClient.Get());
            Assert.Equal(200, response.StatusCode);
            Assert.Equal(IdleListener.Body, response.Body);
            Assert.Equal(ProcNetTcp.Established, ProcNetTcp.StateOf(server, client.LocalEndPoint));
            return;
        }
    }

    private const int Attempts = 5;
    private static readonly TimeSpan HalfOpenReadingLimit = TimeSpan.FromMilliseconds(700);
}
