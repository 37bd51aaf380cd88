using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Elbe.DataPlane.Network.EventLoop;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using static Elbe.DataPlane.Network.EventLoop.Libc;

namespace Elbe.DataPlane.Listeners.Transport;

/// <summary>
/// One listen socket, watched by every event loop (EPOLLEXCLUSIVE: a new connection wakes one). The loop that
/// accepts a connection keeps it unless another loop holds clearly fewer (<see cref="RelayLoop.HoldNewConnection"/>);
/// Kestrel takes it from <see cref="AcceptAsync"/>.
/// </summary>
internal sealed class EventLoopConnectionListener : IConnectionListener
{
    /// <summary>Accepts per wake-up, so a burst of connections cannot keep a loop from the ones it has.</summary>
    private const int AcceptBatch = 64;
    private const uint Accepting = EPOLLIN | EPOLLEXCLUSIVE;

    private readonly Socket _socket;
    private readonly int _fd;
    private readonly bool _wildcard;
    private readonly PipeOptions _inputOptions;
    private readonly PipeOptions _outputOptions;
    private readonly int _largestRead;
    // Unbinding writes a null, Kestrel's sign that the listener is done; the channel is never completed, so that a
    // read never throws and the single reader's one reusable awaitable serves every wait.
    private readonly Channel<ConnectionContext?> _accepted = Channel.CreateUnbounded<ConnectionContext?>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly List<(RelayLoop Loop, int Slot)> _watches = [];
    private readonly TaskCompletionSource _unwatched = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger;
    private int _unbound;

    public EventLoopConnectionListener(Socket socket, MemoryPool<byte> pool, ILogger logger)
    {
        _logger = logger;
        _socket = socket;
        _fd = (int)socket.Handle;
        EndPoint = socket.LocalEndPoint!;
        _wildcard = EndPoint is IPEndPoint ip && (ip.Address.Equals(IPAddress.Any) || ip.Address.Equals(IPAddress.IPv6Any));
        // Kestrel's socket transport's limits: 1 MiB unread from the client, 64 KiB unsent to it. Inline schedulers:
        // Kestrel runs on the thread that read the bytes, and a response is sent on the thread that wrote it.
        var segment = pool.MaxBufferSize > 0 ? Math.Min(pool.MaxBufferSize, 4096) : 4096;
        _inputOptions = new(pool, PipeScheduler.Inline, PipeScheduler.Inline, 1024 * 1024, 512 * 1024, segment, useSynchronizationContext: false);
        _outputOptions = new(pool, PipeScheduler.Inline, PipeScheduler.Inline, 64 * 1024, 32 * 1024, segment, useSynchronizationContext: false);
        _largestRead = pool.MaxBufferSize > 0 ? pool.MaxBufferSize : 64 * 1024;
    }

    public EndPoint EndPoint { get; }

    public void Start()
    {
        foreach (var loop in RelayLoop.All)
            loop.Post(l =>
            {
                var acceptor = new Acceptor(this, l);
                var slot = acceptor.Slot = l.Watch(_fd, Accepting, acceptor);
                lock (_watches) _watches.Add((l, slot));
            }, _logger);
    }

    private sealed class Acceptor(EventLoopConnectionListener listener, RelayLoop loop) : IReadiness
    {
        /// <summary>Where the loop watches the listen socket for this acceptor.</summary>
        public int Slot { get; set; } = -1;

        public void OnReady(uint events) => listener.AcceptOn(loop, Slot);
    }

    /// <summary>On <paramref name="loop"/>'s thread: the connections waiting, up to a batch (the socket is level-triggered).</summary>
    private void AcceptOn(RelayLoop loop, int slot)
    {
        if (DescriptorHeadroom.IsShort)
        {
            loop.PauseAccepting(_fd, slot, Accepting, DescriptorHeadroom.Reason, _logger, EndPoint);
            return;
        }
        Span<byte> client = stackalloc byte[NativeAddress.MaxLength];
        for (var i = 0; i < AcceptBatch; i++)
        {
            var length = NativeAddress.MaxLength;
            var fd = Accept4(_fd, ref client[0], ref length, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0)
            {
                var errno = Errno;
                if (errno is EINTR or ECONNABORTED) continue;
                if (RelayLoop.IsResourceShortage(errno))
                {
                    DescriptorHeadroom.MarkShort();
                    loop.PauseAccepting(_fd, slot, Accepting, RelayLoop.AcceptFailure(errno), _logger, EndPoint);
                }
                return;
            }
            if (Volatile.Read(ref _unbound) != 0)
            {
                CloseWithReset(fd);
                continue;
            }
            var remote = NativeAddress.ToEndPoint(client[..length]);
            var home = loop.HoldNewConnection();
            if (home == loop) Serve(loop, fd, remote);
            else home.Post(l => Serve(l, fd, remote), _logger);
            if (!DescriptorHeadroom.Fits(fd))
            {
                // Served, but the last one for now: what is left of the table is the runtime's.
                loop.PauseAccepting(_fd, slot, Accepting, DescriptorHeadroom.Reason, _logger, EndPoint);
                return;
            }
        }
    }

    /// <summary>On <paramref name="loop"/>'s thread, which holds the connection (<see cref="RelayLoop.HoldNewConnection"/>): hands it to Kestrel.</summary>
    private void Serve(RelayLoop loop, int fd, EndPoint remote)
    {
        if (Volatile.Read(ref _unbound) != 0)
        {
            // Handed over from another loop while the listener stopped: nobody will take it from the channel.
            loop.Release();
            CloseWithReset(fd);
            return;
        }
        EventLoopConnection? connection = null;
        try
        {
            var local = _wildcard ? RelayLoop.LocalEndPoint(fd) ?? EndPoint : EndPoint;
            connection = new EventLoopConnection(new SocketDescriptor(fd), loop, remote, local, _inputOptions, _outputOptions, _largestRead, _logger);
            // Kestrel's accept loop continues inline from the write and queues the connection to the thread pool;
            // the channel is never completed, so the write always succeeds.
            if (connection.Register()) _accepted.Writer.TryWrite(connection);
            else connection.Abort(new ConnectionAbortedException("The event loop could not watch the connection."));
        }
        catch (Exception e)
        {
            // A bug must not end the loop. A descriptor already handed to its SocketDescriptor closes when that is finalized.
            if (connection is null) loop.Release();
            _logger.LogError(e, "Accepting a client connection on {EndPoint} failed", EndPoint);
        }
    }

    public ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        // No async state machine per accept: a new-connection load pays for one on every connection otherwise.
        if (_accepted.Reader.TryRead(out var connection)) return new(connection);
        if (Volatile.Read(ref _unbound) != 0) return new((ConnectionContext?)null);
        return cancellationToken.CanBeCanceled ? AcceptCancelableAsync(cancellationToken) : _accepted.Reader.ReadAsync(CancellationToken.None);
    }

    private async ValueTask<ConnectionContext?> AcceptCancelableAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _accepted.Reader.ReadAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Every loop stops watching the socket (each after its own watch began: commands run in order), then it closes.</summary>
    public async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _unbound, 1) == 0)
        {
            var remaining = RelayLoop.All.Count;
            foreach (var loop in RelayLoop.All)
                loop.Post(l =>
                {
                    lock (_watches)
                        foreach (var (watcher, slot) in _watches)
                            if (watcher == l) l.Unwatch(_fd, slot);
                    if (Interlocked.Decrement(ref remaining) == 0) _unwatched.TrySetResult();
                }, _logger);
        }
        _accepted.Writer.TryWrite(null);
        try
        {
            await _unwatched.Task.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // A loop stuck for seconds is a bug elsewhere; closing the socket still takes it out of every epoll set.
        }
        _socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await UnbindAsync();
        // Accepted after Kestrel's last AcceptAsync: nobody will serve them.
        while (_accepted.Reader.TryRead(out var connection))
            connection?.Abort(new ConnectionAbortedException("The listener stopped."));
    }
}
