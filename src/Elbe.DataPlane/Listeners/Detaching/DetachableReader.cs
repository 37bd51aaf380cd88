using System.Buffers;
using System.IO.Pipelines;

namespace Elbe.DataPlane.Listeners.Detaching;

/// <summary>
/// The client connection's input as Kestrel's HTTP/1.1 layer sees it, across its attachments. It reports end of
/// input to Kestrel when the connection is detached while idle (Kestrel then ends its per-connection HTTP state,
/// as it does when a client closes between requests), and hides every other cancellation of its own from Kestrel.
/// </summary>
/// <remarks>
/// Detaching interrupts Kestrel's pending read with <see cref="PipeReader.CancelPendingRead"/> on the transport.
/// That cancel can race with arriving bytes, or land on a later read when the pending one completed first; a
/// cancelled read of ours therefore becomes end of input only while the detach it belongs to still stands and
/// nothing arrived; with bytes it is a normal read, and with neither it is silently read again. Cancels Kestrel
/// itself asks for (keep-alive timeout, server stop, request headers timeout) reach it unchanged.
/// </remarks>
public sealed class DetachableReader(PipeReader transport, ConnectionActivity activity, DetachableConnection owner) : PipeReader
{
    // Busy: Kestrel holds a result or parses; Waiting: a read with everything before it consumed, the only state
    // a detach starts from; Detaching: our cancel is on its way; Detached: Kestrel was told the input ended.
    private const int Busy = 0, Waiting = 1, Detaching = 2, Detached = 3;

    private int _state;
    private int _ourCancel;
    private int _kestrelCancel;
    private long _waitingSince = Environment.TickCount64;
    private bool _allConsumed = true;
    private ReadOnlySequence<byte> _delivered;
    private PendingTransportRead? _pendingRead;
    private bool _hasWaited;

    /// <summary>When Kestrel last started to wait for bytes (Environment.TickCount64): the start of idleness.</summary>
    public long WaitingSince => Volatile.Read(ref _waitingSince);

    /// <summary>True once Kestrel has been told the input ended because of a detach, not because the client closed.</summary>
    public bool IsDetached => Volatile.Read(ref _state) == Detached;

    /// <summary>
    /// Ends Kestrel's pending read if it is waiting for a request with nothing left unread; false if it is not
    /// (a request or its body is being read, or bytes are unparsed), and then nothing happened.
    /// </summary>
    public bool TryDetach()
    {
        if (Interlocked.CompareExchange(ref _state, Detaching, Waiting) != Waiting) return false;
        Volatile.Write(ref _ourCancel, 1);
        transport.CancelPendingRead();
        return true;
    }

    /// <summary>
    /// Once Kestrel has returned from an attachment: forgets everything that points into it (a completed read
    /// keeps Kestrel's continuation, and with it the whole HTTP state, until the next).
    /// </summary>
    public void ForgetKestrel()
    {
        _pendingRead = null;
        _delivered = default;
    }

    /// <summary>
    /// While detached: waits for bytes or end of input on the transport without taking any (Kestrel's socket
    /// transport holds no buffer while it waits); <see cref="Examine"/> then says what came.
    /// </summary>
    public ValueTask<ReadResult> ReadWhileDetachedAsync() => transport.ReadAsync();

    public WaitOutcome Examine(ReadResult result)
    {
        var buffer = result.Buffer;
        // Nothing examined: Kestrel's next read gets the same bytes at once.
        transport.AdvanceTo(buffer.Start, buffer.Start);
        if (result.IsCanceled) Volatile.Write(ref _ourCancel, 0);
        if (!buffer.IsEmpty)
        {
            Volatile.Write(ref _state, Busy);
            return WaitOutcome.Bytes;
        }
        return result.IsCompleted ? WaitOutcome.Closed : WaitOutcome.Woken;
    }

    /// <summary>Interrupts <see cref="ReadWhileDetachedAsync"/>; landing on an attached read instead, it is hidden as above.</summary>
    public void Wake()
    {
        Volatile.Write(ref _ourCancel, 1);
        transport.CancelPendingRead();
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        Volatile.Write(ref _waitingSince, Environment.TickCount64);
        Volatile.Write(ref _state, _allConsumed ? Waiting : Busy);
        // Each turn past the first consumes one cancel of ours, and there is at most one per detach attempt or wake.
        while (true)
        {
            var pending = transport.ReadAsync(cancellationToken);
            if (!pending.IsCompleted)
            {
                if (!_hasWaited)
                {
                    _hasWaited = true;
                    owner.OnFirstWait();
                }
                return AwaitTransport(pending, cancellationToken);
            }
            var result = pending.GetAwaiter().GetResult();
            if (TryResolve(ref result)) return new ValueTask<ReadResult>(result);
        }
    }

    private ValueTask<ReadResult> AwaitTransport(ValueTask<ReadResult> pending, CancellationToken cancellationToken) =>
        (_pendingRead ??= new PendingTransportRead(this, transport)).Await(pending, cancellationToken);

    /// <summary>
    /// What Kestrel gets for a transport read: false when the read was a stray cancel of ours with nothing in it
    /// (read again); end of input when it is the detach still standing; otherwise the read, never cancelled by us.
    /// </summary>
    internal bool TryResolve(ref ReadResult result)
    {
        if (result.IsCanceled && TakeOurCancel())
        {
            if (result.Buffer.IsEmpty && !result.IsCompleted)
            {
                if (Interlocked.CompareExchange(ref _state, Detached, Detaching) != Detaching) return false;
                result = new ReadResult(result.Buffer, isCanceled: false, isCompleted: true);
                return true;
            }
            result = new ReadResult(result.Buffer, isCanceled: false, result.IsCompleted);
        }
        result = Deliver(result);
        return true;
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!transport.TryRead(out result)) return false;
        if (result.IsCanceled && TakeOurCancel())
        {
            if (result.Buffer.IsEmpty && !result.IsCompleted)
            {
                transport.AdvanceTo(result.Buffer.Start);
                return false;
            }
            result = new ReadResult(result.Buffer, isCanceled: false, result.IsCompleted);
        }
        result = Deliver(result);
        return true;
    }

    /// <summary>True when a cancelled read was ours alone: a cancel Kestrel asked for, even at the same time, is Kestrel's.</summary>
    private bool TakeOurCancel()
    {
        var ours = Interlocked.Exchange(ref _ourCancel, 0) == 1;
        var theirs = Interlocked.Exchange(ref _kestrelCancel, 0) == 1;
        return ours && !theirs;
    }

    private ReadResult Deliver(ReadResult result)
    {
        Volatile.Write(ref _state, Busy);
        if (!result.Buffer.IsEmpty) activity.BytesArrived();
        _delivered = result.Buffer;
        return result;
    }

    public override void AdvanceTo(SequencePosition consumed)
    {
        _allConsumed = IsEnd(consumed);
        transport.AdvanceTo(consumed);
    }

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        _allConsumed = IsEnd(consumed);
        transport.AdvanceTo(consumed, examined);
    }

    private bool IsEnd(SequencePosition consumed)
    {
        var delivered = _delivered;
        _delivered = default;
        return delivered.IsEmpty || consumed.Equals(delivered.End) || delivered.Slice(consumed).IsEmpty;
    }

    public override void CancelPendingRead()
    {
        Volatile.Write(ref _kestrelCancel, 1);
        transport.CancelPendingRead();
    }

    /// <summary>
    /// Kestrel completes its input whenever its HTTP state ends, detached or not; the transport itself completes
    /// when the connection ends (after the connection middleware returns).
    /// </summary>
    public override void Complete(Exception? exception = null) { }

    public override ValueTask CompleteAsync(Exception? exception = null) => default;
}

/// <summary>How a detached connection's wait for its next request ended.</summary>
public enum WaitOutcome
{
    /// <summary>Bytes arrived: attach Kestrel again.</summary>
    Bytes,
    /// <summary>The client closed (or the transport was aborted).</summary>
    Closed,
    /// <summary>Woken with nothing to read: check why (idle timeout, server stop) and maybe wait again.</summary>
    Woken,
}
