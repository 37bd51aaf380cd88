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
        var port = ((IPEndPoint)target.LocalEndpoint).Port;
        var accepted = target.AcceptSocketAsync();
        var connection = await Http1TargetConnection.ConnectAsync("127.0.0.1", port, $"127.0.0.1:{port}", tls: null);
        using var targetSide = await accepted;
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
            connection.MakeIdle();
            Assert.True(connection.TryTake());
        }
        Volatile.Write(ref stop, 1);
        await watcher;

        Assert.Null(failure);
        Assert.False(connection.IsClosed, "nothing was cancelled and no deadline passed, yet the watchdog closed the connection");
        connection.Release();
    }
}
