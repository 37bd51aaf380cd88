using System.Net;
using System.Net.Sockets;
using System.Text;
using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests;

/// <summary>
/// Every event loop watches every listen socket, and the first one awake accepts. A client that opens its whole pool
/// at once used to land on one loop, which then carried the traffic on one CPU while the other idled. A loop now
/// hands a connection it accepted to a loop that holds clearly fewer (RelayLoop.HoldNewConnection). Runs the real
/// elbe.dll and reads which loop watches each accepted socket from the kernel: the epoll instances that watch a
/// listen socket are the loops, and /proc/net/tcp names the sockets accepted on it.
/// </summary>
public sealed class EventLoopBalanceTests
{
    private const int Connections = 64;
    // A loop hands over once it holds more than one (or an eighth) over the loop with the fewest.
    private const int Slack = 4;

    [Fact]
    public async Task Connections_that_arrive_together_are_spread_evenly_over_the_event_loops()
    {
        await using var elbe = await TwoListenerElbe.StartAsync();
        var clients = new List<Socket>();
        try
        {
            // HTTP: connected first, then every request sent at once; the listener accepts a connection only when
            // its first bytes come (TCP_DEFER_ACCEPT), so the loops see all of them in one burst.
            var http = await ConnectAllAsync(elbe.Http, clients);
            var httpPeers = http.Select(c => c.LocalEndPoint!).ToArray();
            await Task.WhenAll(http.Select(c => c.SendAsync("GET / HTTP/1.1\r\nHost: lb\r\n\r\n"u8.ToArray())));
            await Task.WhenAll(http.Select(c => ReadUntilAsync(c, "fine")));
            AssertSpread(elbe, elbe.Http, httpPeers, "HTTP");

            // The loops balance what they hold in all: the HTTP connections go first, so the NLB's flows start even too.
            foreach (var client in http) client.Dispose();
            await Eventually.TrueAsync(() => Held(elbe, elbe.Http, httpPeers).Sum() == 0, "The HTTP connections stayed on the loops after the clients closed them.");

            // NLB: each flow is accepted at once and greeted by the target through it.
            var flows = await ConnectAllAsync(elbe.Nlb, clients);
            await Task.WhenAll(flows.Select(c => ReadUntilAsync(c, "echo")));
            AssertSpread(elbe, elbe.Nlb, [.. flows.Select(c => c.LocalEndPoint!)], "NLB");
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
        Assert.Equal(0, await elbe.Process.StopAsync());
    }

    private static async Task<Socket[]> ConnectAllAsync(IPEndPoint endPoint, List<Socket> clients)
    {
        var sockets = Enumerable.Range(0, Connections).Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)).ToArray();
        clients.AddRange(sockets);
        await Task.WhenAll(sockets.Select(s => s.ConnectAsync(endPoint)));
        return sockets;
    }

    private static async Task ReadUntilAsync(Socket client, string expected)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var received = new StringBuilder();
        var buffer = new byte[1024];
        while (!received.ToString().Contains(expected, StringComparison.Ordinal))
        {
            var n = await client.ReceiveAsync(buffer, deadline.Token);
            Assert.True(n > 0, $"The connection closed before \"{expected}\" came; it received: {received}");
            received.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
    }

    /// <summary>Each loop holds its share of the clients' connections, give or take the hand-over slack.</summary>
    private static void AssertSpread(TwoListenerElbe elbe, IPEndPoint listener, EndPoint[] clients, string kind)
    {
        var held = Held(elbe, listener, clients);
        Assert.Equal(Environment.ProcessorCount, held.Length);
        var shares = string.Join(" / ", held);
        Assert.True(held.Sum() == Connections, $"{kind}: the loops hold {shares} connections, not {Connections} in all.");
        var fair = Connections / held.Length;
        Assert.True(held.All(n => Math.Abs(n - fair) <= Slack), $"{kind}: {Connections} connections opened at once ended up {shares} over the loops.");
    }

    /// <summary>
    /// How many of the clients' connections each loop watches: the loops are the epoll sets that watch the listen
    /// socket, and a socket leaves its loop's set only when the loop closes it.
    /// </summary>
    private static int[] Held(TwoListenerElbe elbe, IPEndPoint listener, EndPoint[] clients)
    {
        var listenSocket = ProcNetTcp.ListenSocketAt(listener);
        Assert.NotNull(listenSocket);
        var accepted = ProcNetTcp.InodesAt(listener, clients);
        return [.. elbe.Process.EpollWatchedInodes().Where(watched => watched.Contains(listenSocket.Value)).Select(watched => watched.Count(accepted.Contains))];
    }
}
