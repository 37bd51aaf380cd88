namespace Elbe.DataPlane.Forwarding.Http1;

/// <summary>
/// One target endpoint's pooled connections, the one returned last handed out first. A queue cycled every pooled
/// connection: after the bench's HTTP/2 scenario (320 streams) had opened about 330 target connections, 64 kept-alive
/// clients went round all of them, and forwarded 5-7% fewer requests per second than a fresh process using the 70
/// they needed; none of the spare ones ever sat idle long enough to reach the idle limit. Last in, first out keeps a
/// busy set warm and leaves the rest to the idle limit, as SocketsHttpHandler's pool does. The lock is this
/// endpoint's alone and held for an array access; a lock-free stack of reused nodes would need ABA tags.
/// </summary>
internal sealed class IdleTargetConnections
{
    private readonly Lock _lock = new();
    private Http1TargetConnection?[] _stack = new Http1TargetConnection?[16];
    private int _count;

    public bool IsEmpty => Volatile.Read(ref _count) == 0;

    public void Push(Http1TargetConnection connection)
    {
        lock (_lock)
        {
            if (_count == _stack.Length) Array.Resize(ref _stack, _count * 2);
            _stack[_count++] = connection;
        }
    }

    public bool TryPop(out Http1TargetConnection connection)
    {
        lock (_lock)
        {
            if (_count == 0)
            {
                connection = null!;
                return false;
            }
            connection = _stack[--_count]!;
            _stack[_count] = null;
            return true;
        }
    }

    /// <summary>Drops the entries of connections closed while pooled (by the idle limit), keeping the others' order.</summary>
    public void RemoveClosed()
    {
        lock (_lock)
        {
            var kept = 0;
            for (var i = 0; i < _count; i++)
                if (_stack[i] is { IsClosed: false } connection) _stack[kept++] = connection;
            Array.Clear(_stack, kept, _count - kept);
            _count = kept;
        }
    }
}
