using System.Collections.Concurrent;

namespace Elbe.DataPlane.Listeners.Detaching;

/// <summary>
/// One listener's HTTP/1.1 client connections, visited every <see cref="PeriodMs"/> by one timer (rather than a
/// timer per connection): an attached connection idle long enough lets Kestrel's HTTP state go, a detached one
/// past the idle timeout is closed. Also counts detached connections, now and in all.
/// </summary>
public sealed class IdleConnectionSweep : IDisposable
{
    /// <summary>
    /// Kestrel's own heartbeat only comes once a second; a tenth of that lets a wave of connections gone idle shed
    /// their HTTP state within <see cref="DetachableConnection.DetachAfterMs"/> plus 100 ms. A visit costs a few
    /// nanoseconds per connection.
    /// </summary>
    public const int PeriodMs = 100;

    private readonly ConcurrentDictionary<DetachableConnection, byte> _connections = new();
    private readonly Timer _timer;
    private int _current;
    private long _total;

    public IdleConnectionSweep()
    {
        _timer = new Timer(static state => ((IdleConnectionSweep)state!).Sweep(), this, PeriodMs, PeriodMs);
    }

    /// <summary>Connections detached right now.</summary>
    public int Detached => Volatile.Read(ref _current);

    /// <summary>Detaches since the listener started.</summary>
    public long Detaches => Interlocked.Read(ref _total);

    public void Add(DetachableConnection connection) => _connections.TryAdd(connection, 0);

    public void Remove(DetachableConnection connection) => _connections.TryRemove(connection, out _);

    public void OnDetached()
    {
        Interlocked.Increment(ref _current);
        Interlocked.Increment(ref _total);
        DetachedStateCollection.Detached();
    }

    public void OnWaitEnded() => Interlocked.Decrement(ref _current);

    private void Sweep()
    {
        var now = Environment.TickCount64;
        foreach (var (connection, _) in _connections) connection.Sweep(now);
        DetachedStateCollection.Swept(now);
    }

    public void Dispose() => _timer.Dispose();
}
