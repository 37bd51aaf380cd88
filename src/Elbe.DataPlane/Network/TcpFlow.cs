using System.Buffers;
using System.Net;
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
    private const int BufferSize = 16 * 1024;
    private const int Live = 0, Expired = 1, Closed = 2;

    private readonly NetworkFlowCounters _counters;
    private long _lastActivity = Environment.TickCount64;
    private int _state;

    public TcpFlow(Socket client, Socket target, TargetState targetState, IPEndPoint node, NetworkFlowCounters counters)
    {
        Client = client;
        Target = target;
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
        await Task.WhenAll(PumpAsync(Client, Target), PumpAsync(Target, Client)).ConfigureAwait(false);
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

    private async Task PumpAsync(Socket from, Socket to)
    {
        try
        {
            while (true)
            {
                await from.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                if (Volatile.Read(ref _state) != Live)
                {
                    // A segment on a flow the load balancer has forgotten is answered with a reset.
                    Reset(from);
                    return;
                }
                var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                try
                {
                    var read = await from.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
                    if (read == 0)
                    {
                        to.Shutdown(SocketShutdown.Send);
                        return;
                    }
                    Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);
                    await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset && Volatile.Read(ref _state) == Live)
        {
            // RST relay: the other side sees a reset too, not a clean close.
            Interlocked.Exchange(ref _state, Closed);
            Reset(to, counted: false);
            Reset(from, counted: false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The other direction closed or reset both sockets, or a send found the peer gone: nothing left to pass on.
            if (Interlocked.CompareExchange(ref _state, Closed, Live) == Live)
            {
                Reset(to, counted: false);
                Reset(from, counted: false);
            }
        }
    }

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
        Client.Dispose();
        Target.Dispose();
    }
}
