using System.Net;
using System.Runtime.InteropServices;
using Elbe.DataPlane.Network.EventLoop;
using Elbe.Routing.Flows;
using Microsoft.Extensions.Logging;
using static Elbe.DataPlane.Network.EventLoop.Libc;

namespace Elbe.DataPlane.Network;

/// <summary>
/// A UDP listener of a Network Load Balancer on every node address. Datagrams are keyed by their 5-tuple into
/// a bounded <see cref="UdpFlowTable"/> per node; a new flow picks its target by flow hash and gets a connected
/// socket toward it, whose answers go back to the client from the node address. Flows end after the UDP idle
/// timeout (120 s on NLB). All of a listener's sockets live on one <see cref="RelayLoop"/> (datagrams of one flow
/// stay in order), moved in batches by recvmmsg and sendmmsg through the loop's <see cref="DatagramBatch"/>: a datagram of a
/// known flow allocates nothing.
/// </summary>
public sealed class UdpListenerRelay : IAsyncDisposable
{
    /// <summary>Batches per wake-up of a socket (64 datagrams), so one busy socket cannot keep the loop from the others.</summary>
    private const int Rounds = 64 / DatagramBatch.Capacity;
    private static int nextLoop;

    private readonly UdpNodeSocket[] _nodes;
    private readonly RelayLoop _loop;
    private volatile NetworkListenerSnapshot _snapshot;
    private int _loggedPreservationFailure;
    private int _disposed;

    private UdpListenerRelay(IReadOnlyList<(int Fd, IPEndPoint Endpoint)> sockets, int flowCapacity, NetworkListenerSnapshot snapshot, ILogger logger)
    {
        _nodes = [.. sockets.Select(s => new UdpNodeSocket(s.Fd, s.Endpoint, new UdpFlowTable(flowCapacity), this))];
        _snapshot = snapshot;
        Logger = logger;
        _loop = RelayLoop.All[(int)((uint)Interlocked.Increment(ref nextLoop) % (uint)RelayLoop.All.Count)];
    }

    public NetworkFlowCounters Counters { get; } = new();

    /// <summary>Flows held now, over all node sockets.</summary>
    public int FlowCount => _nodes.Sum(n => n.Flows.Count);

    internal ILogger Logger { get; }
    internal NetworkListenerSnapshot Snapshot => _snapshot;

    /// <param name="flowCapacity">Flows each node socket holds before it evicts the one idle longest.</param>
    public static UdpListenerRelay Start(IReadOnlyList<IPAddress> addresses, int port, NetworkListenerSnapshot snapshot, int flowCapacity, ILogger logger)
    {
        var sockets = new List<(int, IPEndPoint)>(addresses.Count);
        Span<byte> address = stackalloc byte[NativeAddress.MaxLength];
        foreach (var node in addresses)
        {
            var length = NativeAddress.Write(node, port, address);
            var fd = Socket(NativeAddress.Family(address), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (fd < 0 || Bind(fd, ref address[0], length) != 0)
            {
                var errno = Errno;
                if (fd >= 0) Close(fd);
                foreach (var (opened, _) in sockets) Close(opened);
                throw new IOException($"UDP {port}: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
            sockets.Add((fd, new IPEndPoint(node, port)));
        }
        var relay = new UdpListenerRelay(sockets, flowCapacity, snapshot, logger);
        relay._loop.Post(l => l.Add(relay), logger);
        return relay;
    }

    public void Apply(NetworkListenerSnapshot snapshot) => _snapshot = snapshot;

    /// <summary>On the loop: starts watching the node sockets.</summary>
    internal void Attach(RelayLoop loop)
    {
        foreach (var node in _nodes)
        {
            node.Slot = loop.Watch(node.Fd, EPOLLIN, node);
            if (node.Slot < 0) Logger.LogError("{Listener}: the UDP relay could not watch {Node}: errno {Errno}", Snapshot.Description, node.Endpoint, Errno);
        }
    }

    /// <summary>On the loop: stops watching and ends every flow.</summary>
    internal void Detach()
    {
        foreach (var node in _nodes)
        {
            _loop.Unwatch(node.Slot);
            foreach (var flow in node.Flows.RemoveAll()) End(flow);
        }
    }

    /// <summary>Client datagrams on a node socket: each goes to its flow's target, a new flow's first one picks the target.</summary>
    internal void Receive(UdpNodeSocket node)
    {
        var batch = _loop.Datagrams;
        for (var round = 0; round < Rounds; round++)
        {
            var received = batch.Receive(node.Fd, withSources: true);
            if (received < 0 && Errno == EINTR) continue;
            if (received <= 0) return;
            // Consecutive datagrams of one flow go out in one call, in the order they came.
            UdpFlow? flow = null;
            var key = default(UdpClientKey);
            var first = 0;
            for (var i = 0; i < received; i++)
            {
                var source = batch.Source(i);
                var sourceKey = UdpClientKey.Of(source);
                if (i > 0 && sourceKey == key) continue;
                if (flow is not null) batch.SendConnected(flow.Target, first, i - first);
                key = sourceKey;
                first = i;
                flow = node.Flows.Find(key) ?? NewFlow(node, key, source);
            }
            // A refused target (ICMP unreachable) or a full send buffer: UDP drops, it does not report.
            if (flow is not null) batch.SendConnected(flow.Target, first, received - first);
            // A short batch drained the socket; the level-triggered watch reports anything that comes later.
            if (received < DatagramBatch.Capacity) return;
        }
    }

    /// <summary>The target's datagrams, sent on to the client from the node's address.</summary>
    internal void Answer(UdpFlow flow)
    {
        var batch = _loop.Datagrams;
        for (var round = 0; round < Rounds; round++)
        {
            var received = batch.Receive(flow.Target, withSources: false);
            if (received < 0)
            {
                // An ICMP error for an earlier datagram: the flow lives on.
                if (Errno is EINTR or ECONNREFUSED) continue;
                return;
            }
            if (received == 0) return;
            flow.Touch();
            batch.SendTo(flow.Listener.Fd, received, flow.Client);
            if (received < DatagramBatch.Capacity) return;
        }
    }

    private UdpFlow? NewFlow(UdpNodeSocket node, UdpClientKey key, ReadOnlySpan<byte> client)
    {
        var snapshot = _snapshot;
        var picked = snapshot.Pick(FlowHash.Udp, NativeAddress.AddressBytes(client), NativeAddress.Port(client), node.Endpoint, 0);
        var targetAddress = picked is null ? [] : RelayLoop.AddressOf(picked);
        if (picked is null || targetAddress.Length == 0)
        {
            Counters.TargetConnectFailed();
            return null;
        }
        var family = NativeAddress.Family(targetAddress);
        var fd = Socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            Counters.TargetConnectFailed();
            return null;
        }
        var preserve = snapshot.GroupSettings.PreserveClientIp && NativeAddress.Family(client) == family;
        var error = preserve ? ClientIpPreservation.BindToClient(fd, client, client.Length) : RelayLoop.BindToNode(fd, node.Endpoint, family, stream: false);
        if (error == 0 && Connect(fd, ref targetAddress[0], targetAddress.Length) != 0) error = Errno;
        if (error != 0)
        {
            if (preserve && Interlocked.Exchange(ref _loggedPreservationFailure, 1) == 0)
                Logger.LogError("{Listener}: preserve_client_ip.enabled is on but datagrams to {Target} cannot leave from the client's address {Client}: {Reason}",
                    snapshot.Description, picked.Endpoint, NativeAddress.ToEndPoint(client).Address, Marshal.GetPInvokeErrorMessage(error));
            Close(fd);
            Counters.TargetConnectFailed();
            return null;
        }

        var flow = new UdpFlow(key, client.ToArray(), fd, picked, node);
        flow.Slot = _loop.Watch(fd, EPOLLIN, flow);
        if (node.Flows.Add(flow) is { } evicted)
        {
            Counters.Evicted();
            End(evicted);
        }
        Counters.FlowStarted();
        return flow;
    }

    private void End(UdpFlow flow)
    {
        _loop.Unwatch(flow.Slot);
        Close(flow.Target);
        Counters.FlowEnded();
    }

    /// <summary>On the loop: idle timeouts and connection termination.</summary>
    internal void Sweep()
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
    }

    /// <summary>Stops relaying and ends every flow: a listener that is gone keeps none.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        var removed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _loop.Post(l =>
        {
            // Signalled even if the removal throws (the loop logs it), so disposing never hangs.
            try { l.Remove(this); }
            finally { removed.SetResult(); }
        }, Logger);
        await removed.Task.ConfigureAwait(false);
        // The loop no longer watches the sockets, so closing cannot free a number it still reads.
        foreach (var node in _nodes) Close(node.Fd);
    }
}
