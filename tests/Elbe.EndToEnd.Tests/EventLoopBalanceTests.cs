using System.Net;
using System.Net.Sockets;
using System.Text;
using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests;

/// <summary>
/// Every event loop watches every listen socket, and the first one awake accepts. A client that opens its whole pool
/// at once used to land on one loop, which then carried the traffic on one CPU while the other idled. A loop now
/// hands a connection it accepted to a loop that holds clearly fewer (RelayLoop.HomeForNewConnection). Runs the real
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
            await Task.WhenAll(http.Select(c => c.SendAsync("GET / HTTP/1.1\r\nHost: lb\r\n\r\n"u8.ToArray())));
            await Task.WhenAll(http.Select(c => ReadUntilAsync(c, "fine")));
            AssertSpread(elbe, elbe.Http, "HTTP");

            // NLB: each flow is accepted at once and greeted by the target through it.
            var flows = await ConnectAllAsync(elbe.Nlb, clients);
            await Task.WhenAll(flows.Select(c => ReadUntilAsync(c, "echo")));
            AssertSpread(elbe, elbe.Nlb, "NLB");
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

    /// <summary>Each loop holds its share of the listener's open connections, give or take the hand-over slack.</summary>
    private static void AssertSpread(TwoListenerElbe elbe, IPEndPoint listener, string kind)
    {
        var listenSocket = ProcNetTcp.InodesAt(listener, ProcNetTcp.Listen);
        Assert.Single(listenSocket);
        var accepted = ProcNetTcp.InodesAt(listener, ProcNetTcp.Established);
        var loops = elbe.Process.EpollWatchedInodes().Where(watched => watched.Overlaps(listenSocket)).ToList();
        Assert.Equal(Environment.ProcessorCount, loops.Count);
        var held = loops.Select(watched => watched.Count(accepted.Contains)).ToArray();
        var shares = string.Join(" / ", held);
        Assert.True(held.Sum() == Connections, $"{kind}: the loops hold {shares} connections, not {Connections} in all.");
        var fair = Connections / loops.Count;
        Assert.True(held.All(n => Math.Abs(n - fair) <= Slack), $"{kind}: {Connections} connections opened at once ended up {shares} over the loops.");
    }
}
