namespace Elbe.DataPlane.Listeners.Detaching;

/// <summary>One listener's count of client connections held without Kestrel's HTTP state, now and in all.</summary>
public sealed class DetachedConnections
{
    private int _current;
    private long _total;

    /// <summary>Connections detached right now.</summary>
    public int Current => Volatile.Read(ref _current);

    /// <summary>Detaches since the listener started.</summary>
    public long Total => Interlocked.Read(ref _total);

    public void Add()
    {
        Interlocked.Increment(ref _current);
        Interlocked.Increment(ref _total);
    }

    public void Remove() => Interlocked.Decrement(ref _current);
}
