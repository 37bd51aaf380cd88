using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Elbe.DataPlane.Network.EventLoop;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using static Elbe.DataPlane.Network.EventLoop.Libc;

namespace Elbe.DataPlane.Listeners.Transport;

/// <summary>
/// A client connection of an HTTP listener as Kestrel sees it: two pipes, filled and drained by the socket.
/// The loop that accepted it reads it (edge-triggered, until the socket is drained or the input pipe pushes back)
/// and Kestrel's request processing runs inline from that read; a response is sent on the thread that flushed it,
/// and waits for the loop's report that the socket is writable only when the kernel's buffer is full.
/// </summary>
/// <remarks>
/// What Kestrel's socket transport does, this does alike: the input ends at the client's FIN or an error, which
/// also fires <see cref="ConnectionClosed"/>; when Kestrel completes the output, or aborts, the socket closes.
/// </remarks>
internal sealed class EventLoopConnection : ConnectionContext, IReadiness, IFeatureCollection, IConnectionIdFeature, IConnectionTransportFeature,
    IConnectionItemsFeature, IConnectionLifetimeFeature, IConnectionEndPointFeature, IMemoryPoolFeature
{
    private const uint Watched = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    private static long _lastId;

    private readonly SocketDescriptor _socket;
    private readonly RelayLoop _loop;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly int _largestRead;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _closed = new();
    // Features others set on the connection; its own are answered by type, without a dictionary per connection.
    private List<KeyValuePair<Type, object>>? _setFeatures;
    private int _featureRevision;
    private readonly long _id = Interlocked.Increment(ref _lastId);
    private readonly Task _sending;
    private string? _connectionId;
    private IDictionary<object, object?>? _items;

    // The loop thread's alone.
    private int _slot = -1;
    private bool _readPaused;
    private bool _readPending;
    private bool _inputEnded;

    // Between the loop and the sending thread: the loop counts write-readiness reports, and a sender that found the
    // socket full parks a waiter after noting the count, so a report between its send and its parking is not lost.
    private int _writeReadiness;
    private TaskCompletionSource? _writable;
    private int _closing;
    private int _closedFired;

    public EventLoopConnection(SocketDescriptor socket, RelayLoop loop, EndPoint remote, EndPoint local, PipeOptions input, PipeOptions output, int largestRead, ILogger logger)
    {
        _logger = logger;
        _socket = socket;
        _loop = loop;
        _input = new Pipe(input);
        _output = new Pipe(output);
        _largestRead = largestRead;
        MemoryPool = input.Pool;
        RemoteEndPoint = remote;
        LocalEndPoint = local;
        Transport = new DuplexPipe(_input.Reader, _output.Writer);
        _sending = SendLoopAsync();
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }

    public MemoryPool<byte> MemoryPool { get; }
    public override string ConnectionId { get => _connectionId ??= "E" + _id.ToString("x"); set => _connectionId = value; }
    public override IFeatureCollection Features => this;
    public override IDictionary<object, object?> Items { get => _items ??= new Dictionary<object, object?>(); set => _items = value; }
    public override IDuplexPipe Transport { get; set; }
    public override CancellationToken ConnectionClosed { get => _closed.Token; set { } }
    public override EndPoint? LocalEndPoint { get; set; }
    public override EndPoint? RemoteEndPoint { get; set; }

    private static readonly Type[] OwnFeatures =
    [
        typeof(IConnectionIdFeature), typeof(IConnectionTransportFeature), typeof(IConnectionItemsFeature),
        typeof(IConnectionLifetimeFeature), typeof(IConnectionEndPointFeature), typeof(IMemoryPoolFeature),
    ];

    bool IFeatureCollection.IsReadOnly => false;
    int IFeatureCollection.Revision => _featureRevision;

    object? IFeatureCollection.this[Type key]
    {
        get
        {
            if (_setFeatures is { } set)
                foreach (var (type, feature) in set)
                    if (type == key) return feature;
            return Array.IndexOf(OwnFeatures, key) >= 0 ? this : null;
        }
        set
        {
            var set = _setFeatures ??= [];
            set.RemoveAll(entry => entry.Key == key);
            // A feature of its own set to null stays answered as null, as a dictionary would.
            if (value is not null || Array.IndexOf(OwnFeatures, key) >= 0) set.Add(new(key, value!));
            _featureRevision++;
        }
    }

    TFeature? IFeatureCollection.Get<TFeature>() where TFeature : default => (TFeature?)((IFeatureCollection)this)[typeof(TFeature)];

    void IFeatureCollection.Set<TFeature>(TFeature? instance) where TFeature : default => ((IFeatureCollection)this)[typeof(TFeature)] = instance;

    IEnumerator<KeyValuePair<Type, object>> IEnumerable<KeyValuePair<Type, object>>.GetEnumerator()
    {
        var set = _setFeatures;
        if (set is not null)
            foreach (var entry in set)
                if (entry.Value is not null) yield return entry;
        foreach (var type in OwnFeatures)
            if (set?.Exists(entry => entry.Key == type) != true) yield return new(type, this);
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => ((IEnumerable<KeyValuePair<Type, object>>)this).GetEnumerator();

    /// <summary>On the loop thread, just accepted: watches the socket and reads what came with it (deferred accept).</summary>
    public bool Register()
    {
        _slot = _loop.Watch(_socket.Number, Watched, this);
        if (_slot < 0) return false;
        Read();
        return true;
    }

    public void OnReady(uint events)
    {
        try
        {
            OnReadyCore(events);
        }
        catch (Exception e)
        {
            // A bug must not end the loop, which serves every other connection it holds: this one goes instead.
            _logger.LogError(e, "Client connection {Connection} failed", ConnectionId);
            Abort(new ConnectionAbortedException("The connection failed.", e));
        }
    }

    private void OnReadyCore(uint events)
    {
        if (Volatile.Read(ref _closing) != 0) return;
        if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) != 0)
        {
            Interlocked.Increment(ref _writeReadiness);
            Interlocked.Exchange(ref _writable, null)?.TrySetResult();
        }
        if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP)) == 0) return;
        if (_readPaused) _readPending = true;
        else Read();
    }

    /// <summary>On the loop thread: reads until the socket is drained or the pipe pushes back.</summary>
    private void Read()
    {
        var writer = _input.Writer;
        var wanted = 0;
        while (!_inputEnded && Volatile.Read(ref _closing) == 0)
        {
            var memory = writer.GetMemory(wanted);
            var n = _socket.Receive(memory.Span);
            if (n > 0)
            {
                writer.Advance((int)n);
                // A short read drained the socket; more bytes will be a new edge.
                var drained = n < memory.Length;
                var flush = writer.FlushAsync();
                if (!flush.IsCompleted)
                {
                    _readPaused = true;
                    _ = ResumeAfterAsync(flush, drained);
                    return;
                }
                if (flush.Result.IsCompleted)
                {
                    EndInput(null);
                    return;
                }
                if (drained) return;
                // A full read: ask how much is left rather than receive into a fresh block and maybe find nothing,
                // which would leave the connection holding the block while it idles.
                wanted = Math.Min(_socket.Available(), _largestRead);
                if (wanted == 0) return;
                continue;
            }
            if (n == 0) EndInput(null);
            else if (n == -EINTR) continue;
            else if (n != -EAGAIN) EndInput(new ConnectionResetException($"Receiving from the client failed: errno {-n}."));
            return;
        }
    }

    private async Task ResumeAfterAsync(ValueTask<FlushResult> flush, bool drained)
    {
        var ended = true;
        try
        {
            ended = (await flush).IsCompleted;
        }
        catch (Exception)
        {
            // Kestrel completed its reader with an error: nothing more to read for.
        }
        _loop.Post(_ =>
        {
            _readPaused = false;
            if (ended) EndInput(null);
            else if (_readPending || !drained)
            {
                _readPending = false;
                Read();
            }
        }, _logger);
    }

    /// <summary>On the loop thread.</summary>
    private void EndInput(Exception? error, bool fireClosed = true)
    {
        if (_inputEnded) return;
        _inputEnded = true;
        _input.Writer.Complete(error);
        if (fireClosed) FireConnectionClosed();
    }

    private void FireConnectionClosed()
    {
        if (Interlocked.Exchange(ref _closedFired, 1) != 0) return;
        // Its callbacks (Kestrel's, the request's abort) run on the thread pool, not on a loop or a sender.
        ThreadPool.UnsafeQueueUserWorkItem(static closed => closed.Cancel(), _closed, preferLocal: false);
    }

    private async Task SendLoopAsync()
    {
        var reader = _output.Reader;
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                if (result.IsCanceled) break;
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    var sent = 0;
                    while (sent < segment.Length)
                    {
                        var seen = Volatile.Read(ref _writeReadiness);
                        var n = _socket.Send(segment.Span[sent..]);
                        if (n >= 0) sent += (int)n;
                        else if (n == -EAGAIN) await WritableAsync(seen);
                        else if (n != -EINTR) throw new ConnectionResetException($"Sending to the client failed: errno {-n}.");
                    }
                }
                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted) break;
            }
        }
        catch (Exception e)
        {
            error = e;
        }
        reader.Complete(error);
        // Kestrel is done writing, or the client is gone. A failure may leave Kestrel waiting on the input, so the
        // loop is woken to end it and ConnectionClosed fires; after a normal end Kestrel reads no more, the loop
        // tidies up when it next wakes, and ConnectionClosed waits for DisposeAsync, where it costs no work item.
        Close(error, wake: error is not null, fireClosed: error is not null);
    }

    private Task WritableAsync(int seen)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _writable, waiter);
        if (Volatile.Read(ref _writeReadiness) == seen && Volatile.Read(ref _closing) == 0) return waiter.Task;
        Interlocked.CompareExchange(ref _writable, null, waiter);
        return Task.CompletedTask;
    }

    public override void Abort(ConnectionAbortedException abortReason)
    {
        _output.Reader.CancelPendingRead();
        Close(abortReason, wake: true, fireClosed: true);
    }

    /// <summary>
    /// Closes the socket (once the call another thread may have in the kernel returns) and has the loop end the
    /// input with <paramref name="reason"/> and free the connection's slot.
    /// </summary>
    private void Close(Exception? reason, bool wake, bool fireClosed)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0) return;
        _socket.Dispose();
        _loop.Release();
        Interlocked.Exchange(ref _writable, null)?.TrySetResult();
        Action<RelayLoop> tidy = loop =>
        {
            loop.Unwatch(_slot);
            EndInput(reason, fireClosed);
        };
        if (wake) _loop.Post(tidy, _logger);
        else _loop.PostQuietly(tidy, _logger);
        if (fireClosed) FireConnectionClosed();
    }

    public override async ValueTask DisposeAsync()
    {
        _input.Reader.Complete();
        _output.Writer.Complete();
        await _sending;
        Close(null, wake: false, fireClosed: false);
        // Kestrel is done with the connection and has dropped its registrations: cancelling here is cheap and inline.
        if (Interlocked.Exchange(ref _closedFired, 1) == 0) _closed.Cancel();
    }
}
