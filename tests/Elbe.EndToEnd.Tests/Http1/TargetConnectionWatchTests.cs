using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Elbe.DataPlane.Forwarding.Http1;

namespace Elbe.EndToEnd.Tests.Http1;

/// <summary>
/// The target-connection watchdog looks at exchanges while they end. It once read an exchange's cancellation token in
/// place while the ending exchange cleared it, got a NullReferenceException on the timer thread, and took the whole
/// process down in the middle of a benchmark. Here one thread begins and ends exchanges on a real target connection
/// as fast as it can while another watches it, for a bounded number of turns.
/// </summary>
public sealed class TargetConnectionWatchTests
{
    [Fact]
    public async Task Watching_an_exchange_while_it_ends_never_throws()
    {
        using var target = new TcpListener(IPAddress.Loopback, 0);
        target.Start();
        var (connection, targetSide) = await ConnectAsync(target);
        using var _ = targetSide;
        using var clientGone = new CancellationTokenSource();
        using var cutoff = new CancellationTokenSource();
        var stop = 0;
        Exception? failure = null;

        var watcher = Task.Run(() =>
        {
            try
            {
                var clock = Stopwatch.StartNew();
                for (var turn = 0; turn < 20_000_000 && clock.ElapsedMilliseconds < 3_000 && Volatile.Read(ref stop) == 0; turn++)
                    connection.Watch(now: 0);
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        var clock = Stopwatch.StartNew();
        for (var turn = 0; turn < 20_000_000 && clock.ElapsedMilliseconds < 3_000 && !watcher.IsCompleted; turn++)
        {
            connection.BeginExchange(clientGone.Token, cutoff.Token);
            Assert.True(connection.MakeIdle());
            Assert.True(connection.TryTake());
        }
        Volatile.Write(ref stop, 1);
        await watcher;

        Assert.Null(failure);
        Assert.False(connection.IsClosed, "nothing was cancelled and no deadline passed, yet the watchdog closed the connection");
        connection.Release();
    }

    /// <summary>
    /// An exchange whose client has gone ends on its own just as the watchdog sees it, and the pooled connection at
    /// once carries the next request. The watchdog may tear down the exchange whose client left, never the next
    /// one: each round races the two on a fresh real connection until the watchdog strikes.
    /// </summary>
    [Fact]
    public async Task The_watchdog_never_tears_down_the_exchange_that_took_the_connection_after_the_one_it_saw()
    {
        using var target = new TcpListener(IPAddress.Loopback, 0);
        target.Start();
        using var clientGone = new CancellationTokenSource();
        clientGone.Cancel();
        using var clientHere = new CancellationTokenSource();
        int strikes = 0, wrongStrikes = 0;
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < 300 && clock.ElapsedMilliseconds < 4_000; round++)
        {
            var (connection, targetSide) = await ConnectAsync(target);
            using var _ = targetSide;
            var ended = 0;
            var watcher = Task.Run(() =>
            {
                for (var turn = 0; turn < 5_000_000 && Volatile.Read(ref ended) == 0; turn++)
                    connection.Watch(now: 0);
            });
            for (var turn = 0; turn < 5_000_000 && !watcher.IsCompleted; turn++)
            {
                connection.BeginExchange(clientGone.Token, CancellationToken.None);
                if (!connection.MakeIdle())
                {
                    strikes++;
                    break;
                }
                // From here the exchange whose client left has ended: the watchdog must leave the connection be.
                if (!connection.TryTake())
                {
                    wrongStrikes++;
                    break;
                }
                connection.BeginExchange(clientHere.Token, CancellationToken.None);
                if (!connection.MakeIdle() || !connection.TryTake())
                {
                    wrongStrikes++;
                    break;
                }
            }
            Volatile.Write(ref ended, 1);
            await watcher;
            connection.Release();
        }
        Assert.True(strikes > 0, "The watchdog never tore down an exchange whose client had gone.");
        Assert.Equal(0, wrongStrikes);
    }

    /// <summary>A real target connection to <paramref name="target"/>, and the target's side of it.</summary>
    private static async Task<(Http1TargetConnection Connection, Socket TargetSide)> ConnectAsync(TcpListener target)
    {
        var port = ((IPEndPoint)target.LocalEndpoint).Port;
        var accepted = target.AcceptSocketAsync();
        var connection = await Http1TargetConnection.ConnectAsync("127.0.0.1", port, $"127.0.0.1:{port}", tls: null);
        return (connection, await accepted);
    }
}
