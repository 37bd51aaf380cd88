using System.Collections.Concurrent;

namespace Elbe.DataPlane.Forwarding.Http1;

/// <summary>
/// Kept-alive HTTP/1.1 connections to targets, per target endpoint, shared by every listener (as ALB reuses target
/// connections across clients). Lock-free on the request path: a queue per endpoint. A watchdog runs four times a
/// second over the live connections: it closes the ones idle in the pool past 55 s (as SocketsHttpHandler was set
/// to), and tears down exchanges whose client left, whose target stalled past the idle timeout, or whose target's
/// deregistration ended — which costs each request a field write instead of a timer and two registrations.
/// </summary>
public sealed class TargetConnectionPool : IDisposable
{
    public static readonly TimeSpan PooledIdleTimeout = TimeSpan.FromSeconds(55);
    private static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<string, ConcurrentQueue<Http1TargetConnection>> _idle = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Http1TargetConnection, byte> _live = new();
    private readonly Timer _watchdog;

    public TargetConnectionPool() => _watchdog = new Timer(static state => ((TargetConnectionPool)state!).Watch(), this, WatchInterval, WatchInterval);

    /// <summary>A pooled connection to <paramref name="endpoint"/>, or null when none is idle.</summary>
    /// <param name="mustBeQuiet">Skip connections with input pending (the target closed them): a request whose body cannot be replayed needs one that is still open.</param>
    public Http1TargetConnection? Rent(string endpoint, bool mustBeQuiet)
    {
        if (!_idle.TryGetValue(endpoint, out var queue)) return null;
        var now = Environment.TickCount64;
        while (queue.TryDequeue(out var connection))
        {
            if (!connection.TryTake()) continue;
            if (now - connection.IdleSince < (long)PooledIdleTimeout.TotalMilliseconds && !(mustBeQuiet && connection.HasPendingInput()))
                return connection;
            Discard(connection);
        }
        return null;
    }

    /// <summary>Registers a new connection with the watchdog.</summary>
    public void Track(Http1TargetConnection connection) => _live.TryAdd(connection, 0);

    /// <summary>Pools a connection whose exchange ended cleanly, unless the watchdog tore that exchange down meanwhile.</summary>
    public void Return(Http1TargetConnection connection)
    {
        if (!connection.MakeIdle())
        {
            Discard(connection);
            return;
        }
        _idle.GetOrAdd(connection.Endpoint, static _ => new ConcurrentQueue<Http1TargetConnection>()).Enqueue(connection);
    }

    /// <summary>Closes a connection the exchange that owns it will not reuse.</summary>
    public void Discard(Http1TargetConnection connection)
    {
        _live.TryRemove(connection, out _);
        connection.Release();
    }

    private int _watches;

    private void Watch()
    {
        // Every 10 s: drop the queue entries of connections closed while pooled, and the queues of endpoints left
        // with none (targets deregistered), so they do not outlive their connections.
        if (++_watches % 40 == 0) Prune();
        var now = Environment.TickCount64;
        var idleLimit = (long)PooledIdleTimeout.TotalMilliseconds;
        foreach (var (connection, _) in _live)
        {
            if (now - connection.IdleSince >= idleLimit && connection.TryCloseIdle())
            {
                // Its queue entry stays until a Rent skips it.
                _live.TryRemove(connection, out _);
                continue;
            }
            connection.Watch(now);
        }
    }

    private void Prune()
    {
        foreach (var (endpoint, queue) in _idle)
        {
            for (var i = queue.Count; i > 0 && queue.TryDequeue(out var connection); i--)
                if (!connection.IsClosed) queue.Enqueue(connection);
            // Removed only if still this queue; a connection returned into it meanwhile is closed by the idle limit.
            if (queue.IsEmpty) _idle.TryRemove(new KeyValuePair<string, ConcurrentQueue<Http1TargetConnection>>(endpoint, queue));
        }
    }

    public void Dispose()
    {
        _watchdog.Dispose();
        foreach (var (connection, _) in _live) connection.Close();
        _live.Clear();
    }
}
