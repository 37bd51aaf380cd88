using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Elbe.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A target that accepts TCP connections and then never sends a byte: to a TLS client, a handshake that never
/// finishes. Connections stay open until the target is disposed.
/// </summary>
public sealed class SilentTcpTarget : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentBag<TcpClient> held = [];
    private readonly Task acceptLoop;
    private int accepted;

    private SilentTcpTarget(TcpListener listener)
    {
        this.listener = listener;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        acceptLoop = Task.Run(AcceptAsync);
    }

    public int Port { get; }
    public int Accepted => Volatile.Read(ref accepted);

    public static SilentTcpTarget Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new SilentTcpTarget(listener);
    }

    private async Task AcceptAsync()
    {
        // Bounded: a test opens a handful of connections (health checks and one request).
        for (var i = 0; i < 10_000 && !stopping.IsCancellationRequested; i++)
        {
            try { held.Add(await listener.AcceptTcpClientAsync(stopping.Token)); }
            catch (Exception) { return; }
            Interlocked.Increment(ref accepted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        stopping.Cancel();
        listener.Stop();
        await acceptLoop;
        foreach (var client in held) client.Dispose();
        stopping.Dispose();
    }
}
