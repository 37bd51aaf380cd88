using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Elbe.Routing.Flows;
using Microsoft.Extensions.Logging;

namespace Elbe.DataPlane.Network;

/// <summary>
/// A UDP listener of a Network Load Balancer on every node address. Datagrams are keyed by their 5-tuple into
/// a bounded <see cref="UdpFlowTable"/> per node; a new flow picks its target by flow hash and gets a connected
/// socket toward it, whose answers go back to the client from the node address. Flows end after the UDP idle
/// timeout (120 s on NLB). The receive path reuses one buffer and one address per node socket: a datagram of
/// a known flow allocates nothing.
/// </summary>
public sealed class UdpListenerRelay : IAsyncDisposable
{
    private const int MaxDatagram = 65_536;

    private readonly NodeSocket[] _nodes;
    private readonly Task[] _receiveLoops;
    private readonly CancellationTokenSource _stop = new();
    private readonly Timer _sweep;
    private readonly ILogger _logger;
    private volatile NetworkListenerSnapshot _snapshot;
    private int _loggedPreservationFailure;

    private UdpListenerRelay(NodeSocket[] nodes, NetworkListenerSnapshot snapshot, ILogger logger)
    {
        _nodes = nodes;
        _snapshot = snapshot;
        _logger = logger;
        _receiveLoops = [.. nodes.Select(n => Task.Run(() => ReceiveLoopAsync(n)))];
        _sweep = new Timer(_ => Sweep(), null, SweepPeriod(snapshot.UdpIdleTimeout), SweepPeriod(snapshot.UdpIdleTimeout));
    }

    public NetworkFlowCounters Counters { get; } = new();

    /// <summary>Flows held now, over all node sockets.</summary>
    public int FlowCount => _nodes.Sum(n => n.Flows.Count);

    /// <param name="flowCapacity">Flows each node socket holds before it evicts the one idle longest.</param>
    public static UdpListenerRelay Start(IReadOnlyList<IPAddress> addresses, int port, NetworkListenerSnapshot snapshot, int flowCapacity, ILogger logger)
    {
        var nodes = new List<NodeSocket>(addresses.Count);
        try
        {
            foreach (var address in addresses)
            {
                var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                nodes.Add(new NodeSocket(socket, new IPEndPoint(address, port), new UdpFlowTable(flowCapacity)));
                socket.Bind(new IPEndPoint(address, port));
            }
        }
        catch (SocketException e)
        {
            foreach (var node in nodes) node.Socket.Dispose();
            throw new IOException($"UDP {port}: {e.Message}", e);
        }
        return new UdpListenerRelay([.. nodes], snapshot, logger);
    }

    public void Apply(NetworkListenerSnapshot snapshot) => _snapshot = snapshot;

    private async Task ReceiveLoopAsync(NodeSocket node)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(MaxDatagram, pinned: true);
        var from = new SocketAddress(node.Socket.AddressFamily);
        while (!_stop.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await node.Socket.ReceiveFromAsync(buffer, SocketFlags.None, from, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            var flow = node.Flows.Find(from) ?? NewFlow(node, from);
            if (flow is null) continue;
            try
            {
                await flow.Target.SendAsync(buffer.AsMemory(0, received), SocketFlags.None, _stop.Token).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                // The target refused (ICMP unreachable) or the flow was just evicted: UDP drops, it does not report.
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                if (_stop.IsCancellationRequested) return;
            }
        }
    }

    private UdpFlow? NewFlow(NodeSocket node, SocketAddress from)
    {
        var snapshot = _snapshot;
        var client = (IPEndPoint)node.Endpoint.Create(from);
        var picked = snapshot.Pick(FlowHash.Udp, client, node.Endpoint, 0);
        if (picked is null || !IPAddress.TryParse(picked.Address, out var address))
        {
            Counters.TargetConnectFailed();
            return null;
        }
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (snapshot.GroupSettings.PreserveClientIp && client.AddressFamily == address.AddressFamily)
                ClientIpPreservation.BindToClient(socket, client);
            else if (node.Endpoint.AddressFamily == address.AddressFamily)
                socket.Bind(new IPEndPoint(node.Endpoint.Address, 0));
            socket.Connect(new IPEndPoint(address, picked.Port));
        }
        catch (SocketException e)
        {
            if (snapshot.GroupSettings.PreserveClientIp && Interlocked.Exchange(ref _loggedPreservationFailure, 1) == 0)
                _logger.LogError("{Listener}: preserve_client_ip.enabled is on but datagrams to {Target} cannot leave from the client's address {Client}: {Reason}",
                    snapshot.Description, picked.Endpoint, client.Address, e.Message);
            socket.Dispose();
            Counters.TargetConnectFailed();
            return null;
        }

        var flow = new UdpFlow(new SocketAddress(from.Family, from.Size), socket, picked);
        from.Buffer.Span[..from.Size].CopyTo(flow.Client.Buffer.Span);
        if (node.Flows.Add(flow) is { } evicted)
        {
            Counters.Evicted();
            End(evicted);
        }
        Counters.FlowStarted();
        _ = AnswerLoopAsync(node, flow);
        return flow;
    }

    /// <summary>Relays the target's datagrams to the client. Waits with a zero-byte peek, so an idle flow holds no buffer.</summary>
    private async Task AnswerLoopAsync(NodeSocket node, UdpFlow flow)
    {
        try
        {
            while (true)
            {
                await flow.Target.ReceiveAsync(Memory<byte>.Empty, SocketFlags.Peek).ConfigureAwait(false);
                var buffer = ArrayPool<byte>.Shared.Rent(MaxDatagram);
                try
                {
                    var received = await flow.Target.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
                    flow.Touch();
                    await node.Socket.SendToAsync(buffer.AsMemory(0, received), SocketFlags.None, flow.Client).ConfigureAwait(false);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
                {
                    // An ICMP error for an earlier datagram; the flow lives on.
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The flow ended (idle, evicted, listener gone) and its socket with it.
        }
    }

    private void End(UdpFlow flow)
    {
        flow.Target.Dispose();
        Counters.FlowEnded();
    }

    private void Sweep()
    {
        var snapshot = _snapshot;
        var cutoff = Environment.TickCount64 - (long)snapshot.UdpIdleTimeout.TotalMilliseconds;
        foreach (var node in _nodes)
        {
            foreach (var flow in node.Flows.RemoveIdle(cutoff))
            {
                Counters.IdleTimedOut();
                End(flow);
            }
            // Connection termination: a deregistered target's flows end with its delay, an unhealthy one's at once.
            var terminated = node.Flows.RemoveWhere(flow =>
                (snapshot.GroupSettings.TerminateWhenDeregistered && flow.TargetState.Cutoff.IsCancellationRequested)
                || snapshot.MustTerminate(flow.TargetState, node.Endpoint.Address));
            foreach (var flow in terminated) End(flow);
        }
        var period = SweepPeriod(snapshot.UdpIdleTimeout);
        _sweep.Change(period, period);
    }

    private static TimeSpan SweepPeriod(TimeSpan idleTimeout) =>
        TimeSpan.FromMilliseconds(Math.Clamp(idleTimeout.TotalMilliseconds / 10, 50, 1000));

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _sweep.DisposeAsync().ConfigureAwait(false);
        foreach (var node in _nodes) node.Socket.Dispose();
        await Task.WhenAll(_receiveLoops).ConfigureAwait(false);
        foreach (var node in _nodes)
            foreach (var flow in node.Flows.RemoveAll()) End(flow);
        _stop.Dispose();
    }

    private sealed record NodeSocket(Socket Socket, IPEndPoint Endpoint, UdpFlowTable Flows);
}
