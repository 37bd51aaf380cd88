using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Elbe.Routing.Targets;

namespace Elbe.DataPlane.Network;

/// <summary>
/// One client connection relayed to one target for its whole life. Each direction waits with a zero-byte
/// receive, so an idle flow holds no buffer; a pooled one is rented only while bytes are moving.
/// </summary>
/// <remarks>
/// What each side sees follows NLB (fact sheet 2.4): a FIN is passed on as a FIN; a reset is relayed as a reset;
/// after the idle timeout the flow is forgotten silently and whichever side speaks next gets a reset;
/// termination (deregistration or unhealthy target with connection termination on) resets both sides at once.
/// </remarks>
internal sealed class TcpFlow
{
    private const int BufferSize = 64 * 1024;
    private const int Live = 0, Expired = 1, Closed = 2;
    /// <summary>Wake-ups in a row that found nothing to splice before a direction gives up on splice.</summary>
    private const int MaxEmptyWakeups = 16;
    /// <summary>
    /// Where a spliced direction's one-byte peek lands. Shared by every flow: nobody reads it, so concurrent
    /// writes do no harm.
    /// </summary>
    private static readonly Memory<byte> PeekByte = new byte[1];

    private readonly NetworkFlowCounters _counters;
    private readonly Stream? _clientStream;
    private readonly Stream? _targetStream;
    private long _lastActivity = Environment.TickCount64;
    private int _state;

    /// <param name="clientStream">The TLS stream over <paramref name="client"/> for a TLS listener; null relays the socket itself.</param>
    /// <param name="targetStream">The TLS stream over <paramref name="target"/> for a TLS target group; null relays the socket itself.</param>
    public TcpFlow(Socket client, Stream? clientStream, Socket target, Stream? targetStream, TargetState targetState, IPEndPoint node, NetworkFlowCounters counters)
    {
        Client = client;
        Target = target;
        _clientStream = clientStream;
        _targetStream = targetStream;
        TargetState = targetState;
        Node = node;
        _counters = counters;
    }

    public Socket Client { get; }
    public Socket Target { get; }
    public TargetState TargetState { get; }
    public IPEndPoint Node { get; }
    public long LastActivity => Interlocked.Read(ref _lastActivity);
    public bool IsExpired => Volatile.Read(ref _state) == Expired;

    public async Task RunAsync()
    {
        await Task.WhenAll(PumpAsync(Client, _clientStream, Target, _targetStream), PumpAsync(Target, _targetStream, Client, _clientStream)).ConfigureAwait(false);
        Close();
    }

    /// <summary>The idle timeout passed: forget the flow without a word to either side.</summary>
    public void Expire()
    {
        if (Interlocked.CompareExchange(ref _state, Expired, Live) == Live) _counters.IdleTimedOut();
    }

    /// <summary>Resets both sides now (connection termination, or an expired flow nobody spoke on again).</summary>
    public void Terminate()
    {
        if (Interlocked.Exchange(ref _state, Closed) == Closed) return;
        Reset(Client);
        Reset(Target);
    }

    /// <summary>
    /// Every direction starts by copying through a pooled buffer. Between plain sockets on Linux, a direction whose
    /// read fills the whole buffer (a bulk transfer) goes on with splice, so its bytes stay in the kernel; small
    /// exchanges stay with the copy, which costs them less (measured: bench/RESULTS.md, NLB).
    /// </summary>
    private Task PumpAsync(Socket from, Stream? fromStream, Socket to, Stream? toStream) =>
        CopyAsync(from, fromStream, to, toStream, spliceWhenBulk: fromStream is null && toStream is null && SplicePipe.IsSupported);

    private async Task CopyAsync(Socket from, Stream? fromStream, Socket to, Stream? toStream, bool spliceWhenBulk)
    {
        byte[]? buffer = null;
        try
        {
            while (true)
            {
                // Idle: wait for bytes without holding a buffer. Busy (the last read filled the buffer): read straight
                // on with the one in hand, so a bulk transfer pays neither the extra wait nor a rent per read.
                if (buffer is null)
                {
                    if (fromStream is null) await from.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                    else await fromStream.ReadAsync(Memory<byte>.Empty).ConfigureAwait(false);
                }
                if (Forgotten(from)) return;
                buffer ??= ArrayPool<byte>.Shared.Rent(BufferSize);
                var read = fromStream is null
                    ? await from.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false)
                    : await fromStream.ReadAsync(buffer).ConfigureAwait(false);
                if (read == 0)
                {
                    if (toStream is SslStream tls) await tls.ShutdownAsync().ConfigureAwait(false);
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }
                Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);
                if (toStream is null) await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None).ConfigureAwait(false);
                else await toStream.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                if (read < buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
                else if (spliceWhenBulk)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                    await SpliceAsync(from, to).ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (Exception e) when (IsRelayFailure(e))
        {
            Fail(from, to);
        }
        finally
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The same relay as <see cref="CopyAsync"/> with splice(2): socket to pipe to socket. Waiting is still the
    /// runtime's (a one-byte peek for bytes; an async send when the other side's send buffer is full, fed from
    /// a pooled buffer the pipe is emptied into), so idle flows, FIN, RST and termination behave the same.
    /// </summary>
    /// <remarks>
    /// A peek, not the zero-byte receive <see cref="CopyAsync"/> waits with: once splice has taken bytes behind
    /// the runtime's back, a zero-byte receive can complete at once on readiness that is already spent (measured:
    /// every keep-alive flow of the bulk benchmark woke that way again and again), where a peek only completes
    /// with a byte in the socket, at its end, or on an error.
    /// </remarks>
    private async Task SpliceAsync(Socket from, Socket to)
    {
        SplicePipe? pipe = null;
        var pipeEmpty = true;
        byte[]? spill = null;
        var emptyWakeups = 0;
        try
        {
            while (true)
            {
                // As in CopyAsync: an idle direction holds no pipe; a busy one keeps its pipe and reads straight on.
                var waited = pipe is null;
                if (waited) await from.ReceiveAsync(PeekByte, SocketFlags.Peek).ConfigureAwait(false);
                if (Forgotten(from)) return;
                pipe ??= SplicePipe.Rent();
                if (pipe is null)
                {
                    // No pipe to be had (file descriptors or the open-pipe limit): this direction copies instead.
                    await CopyAsync(from, null, to, null, spliceWhenBulk: false).ConfigureAwait(false);
                    return;
                }
                var moved = pipe.FillFrom(from, SplicePipe.Capacity);
                if (moved == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }
                if (moved < 0)
                {
                    SplicePipe.Return(pipe);
                    pipe = null;
                    // A busy direction read all there was, or the wait ended on a readiness splice had already
                    // consumed the bytes of: wait again. That repeating without end, or splice refusing the socket,
                    // goes to the buffered copy, which has always handled it. A socket error splice consumed (a
                    // reset, a keepalive timeout) is passed on as the copy would have met it.
                    if (SplicePipe.IsAgain(moved) && (!waited || ++emptyWakeups <= MaxEmptyWakeups)) continue;
                    if (SplicePipe.IsReset(moved)) throw new SocketException((int)SocketError.ConnectionReset);
                    if (!SplicePipe.IsAgain(moved) && !SplicePipe.IsRefused(moved)) throw new SocketException((int)SocketError.SocketError);
                    await CopyAsync(from, null, to, null, spliceWhenBulk: false).ConfigureAwait(false);
                    return;
                }
                Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);
                emptyWakeups = 0;
                pipeEmpty = false;
                var left = (int)moved;
                while (left > 0)
                {
                    var sent = pipe.DrainTo(to, left);
                    if (sent > 0)
                    {
                        left -= (int)sent;
                        continue;
                    }
                    // The send buffer is full (or the socket failed): the runtime's async send waits for room, and
                    // reports a failure exactly as the buffered copy would.
                    spill ??= ArrayPool<byte>.Shared.Rent(SplicePipe.Capacity);
                    var read = pipe.ReadInto(spill, left);
                    if (read != left) throw new IOException("the splice pipe lost bytes");
                    await to.SendAsync(spill.AsMemory(0, read), SocketFlags.None).ConfigureAwait(false);
                    left = 0;
                }
                pipeEmpty = true;
                if (moved < SplicePipe.Capacity)
                {
                    SplicePipe.Return(pipe);
                    pipe = null;
                    if (spill is not null) ArrayPool<byte>.Shared.Return(spill);
                    spill = null;
                }
            }
        }
        catch (Exception e) when (IsRelayFailure(e))
        {
            Fail(from, to);
        }
        finally
        {
            if (pipe is not null)
            {
                // A pipe that may still hold another flow's bytes is never handed out again.
                if (pipeEmpty) SplicePipe.Return(pipe);
                else pipe.Close();
            }
            if (spill is not null) ArrayPool<byte>.Shared.Return(spill);
        }
    }

    /// <summary>A segment on a flow the load balancer has forgotten is answered with a reset.</summary>
    private bool Forgotten(Socket from)
    {
        if (Volatile.Read(ref _state) == Live) return false;
        Reset(from);
        return true;
    }

    // A reset (relayed as a reset), the other direction having closed or reset both sockets, a send that found the
    // peer gone, or TLS failing.
    private static bool IsRelayFailure(Exception e) =>
        e is SocketException or ObjectDisposedException or IOException or InvalidOperationException || IsReset(e);

    /// <summary>Whatever went wrong, both sides see a reset (RST relay), not a clean close; once.</summary>
    private void Fail(Socket from, Socket to)
    {
        if (Interlocked.CompareExchange(ref _state, Closed, Live) != Live) return;
        Reset(to, counted: false);
        Reset(from, counted: false);
    }

    private static bool IsReset(Exception e) =>
        e is SocketException { SocketErrorCode: SocketError.ConnectionReset } || e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset };

    private void Reset(Socket socket, bool counted = true)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return;
        }
        if (counted) _counters.ResetSent();
        socket.Dispose();
    }

    private void Close()
    {
        _clientStream?.Dispose();
        _targetStream?.Dispose();
        Client.Dispose();
        Target.Dispose();
    }
}
