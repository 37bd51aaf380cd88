using System.Net;
using Elbe.DataPlane.Network.EventLoop;
using Elbe.DataPlane.ProxyProtocol;
using Elbe.Routing.Targets;
using Microsoft.Extensions.Logging;

namespace Elbe.DataPlane.Network;

/// <summary>
/// A TCP listener of a Network Load Balancer (TCP, or TCP_UDP's TCP side) on every node address: one listening
/// socket per address, watched by every <see cref="RelayLoop"/>; the loop that accepts a connection picks its
/// target with the flow hash and relays it as a <see cref="RelayFlow"/>, checking idle timeouts and connection
/// termination on its own sweep.
/// </summary>
public sealed class TcpListenerRelay : IAsyncDisposable
{
    private volatile NetworkListenerSnapshot _snapshot;
    private int _loggedPreservationFailure;
    private int _disposed;

    private TcpListenerRelay(NodeListener[] listeners, NetworkListenerSnapshot snapshot, ILogger logger)
    {
        Listeners = listeners;
        _snapshot = snapshot;
        Logger = logger;
    }

    public NetworkFlowCounters Counters { get; } = new();

    internal NodeListener[] Listeners { get; }
    internal ILogger Logger { get; }
    internal NetworkListenerSnapshot Snapshot => _snapshot;

    /// <summary>Binds every address first, so a listener either accepts on all its nodes or on none.</summary>
    public static TcpListenerRelay Start(IReadOnlyList<IPAddress> addresses, int port, NetworkListenerSnapshot snapshot, ILogger logger)
    {
        var listeners = new List<NodeListener>(addresses.Count);
        foreach (var address in addresses)
        {
            var fd = Listen(address, port, out var errno);
            if (fd < 0)
            {
                foreach (var listener in listeners) Libc.Close(listener.Fd);
                throw new IOException($"TCP {port}: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}");
            }
            listeners.Add(new NodeListener(fd, new IPEndPoint(address, port)));
        }
        var relay = new TcpListenerRelay([.. listeners], snapshot, logger);
        foreach (var loop in RelayLoop.All) loop.Post(l => l.Add(relay), logger);
        return relay;
    }

    private static int Listen(IPAddress address, int port, out int errno)
    {
        Span<byte> endPoint = stackalloc byte[NativeAddress.MaxLength];
        var length = NativeAddress.Write(address, port, endPoint);
        var fd = Libc.Socket(NativeAddress.Family(endPoint), Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            errno = Libc.Errno;
            return -1;
        }
        // Linux hands TCP_NODELAY on to every accepted socket: set here once, not per flow.
        if (Libc.SetInt(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1) == 0 && Libc.SetInt(fd, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, 1) == 0
            && Libc.Bind(fd, ref endPoint[0], length) == 0 && Libc.Listen(fd, 4096) == 0)
        {
            errno = 0;
            return fd;
        }
        errno = Libc.Errno;
        Libc.Close(fd);
        return -1;
    }

    public void Apply(NetworkListenerSnapshot snapshot) => _snapshot = snapshot;

    /// <summary>The proxy protocol v2 header of a flow, written into <paramref name="buffer"/>.</summary>
    internal ReadOnlySpan<byte> ProxyHeader(IPEndPoint client, IPEndPoint node, byte[] buffer)
    {
        var header = ProxyProtocol.ProxyHeader.For(ProxyTransport.Stream, Unmapped(client), Unmapped(node));
        return buffer.AsSpan(0, ProxyProtocolV2.Write(header, buffer));
    }

    private static IPEndPoint Unmapped(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    /// <summary>Says once per listener why a preserved client address could not be used.</summary>
    internal void PreservationFailed(TargetState target, ReadOnlySpan<byte> client, int errno)
    {
        if (Interlocked.Exchange(ref _loggedPreservationFailure, 1) != 0) return;
        Logger.LogError("{Listener}: preserve_client_ip.enabled is on but the connection to {Target} cannot leave from the client's address {Client}: {Reason}",
            Snapshot.Description, target.Endpoint, NativeAddress.ToEndPoint(client).Address, System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno));
    }

    /// <summary>Stops accepting and resets every flow still open: a listener that is gone keeps no connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        var loops = RelayLoop.All;
        var removed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = loops.Count;
        foreach (var loop in loops)
            loop.Post(l =>
            {
                // Signalled even if the removal throws (the loop logs it), so disposing never hangs.
                try { l.Remove(this); }
                finally { if (Interlocked.Decrement(ref pending) == 0) removed.SetResult(); }
            }, Logger);
        await removed.Task.ConfigureAwait(false);
        // No loop watches the sockets any more, so none can be accepting on a number that closing frees.
        foreach (var listener in Listeners) Libc.Close(listener.Fd);
    }
}
