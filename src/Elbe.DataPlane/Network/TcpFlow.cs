using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Elbe.Routing.Targets;

namespace Elbe.DataPlane.Network;

/// <summary>
/// One connection of a TLS listener relayed to one target for its whole life (plain TCP flows are
/// <see cref="EventLoop.RelayFlow"/>s). Each direction waits with a zero-byte
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
        await Task.WhenAll(CopyAsync(Client, _clientStream, Target, _targetStream), CopyAsync(Target, _targetStream, Client, _clientStream)).ConfigureAwait(false);
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

    private async Task CopyAsync(Socket from, Stream? fromStream, Socket to, Stream? toStream)
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
