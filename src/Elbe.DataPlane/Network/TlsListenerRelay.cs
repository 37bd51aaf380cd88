using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Elbe.DataPlane.ProxyProtocol;
using Elbe.Routing.Flows;
using Elbe.Routing.Targets;
using Microsoft.Extensions.Logging;

namespace Elbe.DataPlane.Network;

/// <summary>
/// A TLS listener of a Network Load Balancer on every node address: terminates TLS and relays each connection to
/// the target its flow hash picks, as a <see cref="TcpFlow"/> driven by async socket calls over SslStream (no
/// thread per flow). A sweep checks idle timeouts and unhealthy-target termination. Plain TCP listeners use the
/// event-loop relay, <see cref="TcpListenerRelay"/>.
/// </summary>
public sealed class TlsListenerRelay : IAsyncDisposable
{
    /// <summary>How long a target has to accept a new connection before the client is reset.</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    /// <summary>How long a TLS handshake may take, toward the client or a TLS target.</summary>
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket[] _listeners;
    private readonly Task[] _acceptLoops;
    private readonly ConcurrentDictionary<TcpFlow, CancellationTokenRegistration> _flows = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Timer _sweep;
    private readonly ILogger _logger;
    private volatile NetworkListenerSnapshot _snapshot;
    private int _loggedPreservationFailure;

    private TlsListenerRelay(Socket[] listeners, NetworkListenerSnapshot snapshot, ILogger logger)
    {
        _listeners = listeners;
        _snapshot = snapshot;
        _logger = logger;
        _acceptLoops = [.. listeners.Select(l => Task.Run(() => AcceptLoopAsync(l)))];
        _sweep = new Timer(_ => Sweep(), null, SweepPeriod(snapshot.TcpIdleTimeout), SweepPeriod(snapshot.TcpIdleTimeout));
    }

    public NetworkFlowCounters Counters { get; } = new();

    /// <summary>Binds every address first, so a listener either accepts on all its nodes or on none.</summary>
    public static TlsListenerRelay Start(IReadOnlyList<IPAddress> addresses, int port, NetworkListenerSnapshot snapshot, ILogger logger)
    {
        var listeners = new List<Socket>(addresses.Count);
        try
        {
            foreach (var address in addresses)
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                listeners.Add(socket);
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.Bind(new IPEndPoint(address, port));
                socket.Listen(4096);
            }
        }
        catch (SocketException e)
        {
            foreach (var socket in listeners) socket.Dispose();
            throw new IOException($"TCP {port}: {e.Message}", e);
        }
        return new TlsListenerRelay([.. listeners], snapshot, logger);
    }

    public void Apply(NetworkListenerSnapshot snapshot)
    {
        _snapshot = snapshot;
        var period = SweepPeriod(snapshot.TcpIdleTimeout);
        try { _sweep.Change(period, period); }
        catch (ObjectDisposedException) { }
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // A connection aborted before it was accepted; the listener itself is fine.
                continue;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var snapshot = _snapshot;
        Socket? target = null;
        SslStream? clientTls = null, targetTls = null;
        TcpFlow? flow = null;
        try
        {
            client.NoDelay = true;
            var clientEnd = (IPEndPoint)client.RemoteEndPoint!;
            var node = (IPEndPoint)client.LocalEndPoint!;
            // The handshake comes first: NLB picks a target only for a client that completed it.
            using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                handshake.CancelAfter(HandshakeTimeout);
                clientTls = await snapshot.Tls!.AcceptAsync(client, handshake.Token).ConfigureAwait(false);
            }
            var picked = snapshot.Pick(FlowHash.Tcp, clientEnd, node, (ulong)Random.Shared.NextInt64());
            if (picked is null)
            {
                Counters.TargetConnectFailed();
                ResetClient(client);
                return;
            }
            target = await ConnectAsync(picked, clientEnd, node, snapshot).ConfigureAwait(false);
            if (target is null)
            {
                Counters.TargetConnectFailed();
                ResetClient(client);
                return;
            }
            if (snapshot.GroupSettings.ProxyProtocolV2) await SendProxyHeaderAsync(target, clientEnd, node).ConfigureAwait(false);
            if (snapshot.GroupSettings.TargetTls)
            {
                using var handshake = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                handshake.CancelAfter(HandshakeTimeout);
                targetTls = await NetworkTls.ConnectAsync(target, picked.Address, clientTls.NegotiatedApplicationProtocol, handshake.Token).ConfigureAwait(false);
            }

            flow = new TcpFlow(client, clientTls, target, targetTls, picked, node, Counters);
            Counters.FlowStarted();
            var registration = snapshot.GroupSettings.TerminateWhenDeregistered
                ? picked.Cutoff.Register(static state => ((TcpFlow)state!).Terminate(), flow)
                : default;
            _flows[flow] = registration;
            if (_stop.IsCancellationRequested) flow.Terminate();
            await flow.RunAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            // A failed TLS handshake (either side), a target that went away mid-setup, or shutdown.
            clientTls?.Dispose();
            targetTls?.Dispose();
            client.Dispose();
            target?.Dispose();
        }
        finally
        {
            if (flow is not null)
            {
                if (_flows.TryRemove(flow, out var registration)) registration.Dispose();
                Counters.FlowEnded();
            }
        }
    }

    private async Task<Socket?> ConnectAsync(TargetState picked, IPEndPoint client, IPEndPoint node, NetworkListenerSnapshot snapshot)
    {
        if (!IPAddress.TryParse(picked.Address, out var address)) return null;
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (snapshot.GroupSettings.PreserveClientIp && client.AddressFamily == address.AddressFamily)
                ClientIpPreservation.BindToClient(socket, client);
            else if (node.AddressFamily == address.AddressFamily)
                // Without preservation the target sees the node's address, as it sees the NLB's private IP.
                socket.Bind(new IPEndPoint(node.Address, 0));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(ConnectTimeout);
            await socket.ConnectAsync(new IPEndPoint(address, picked.Port), timeout.Token).ConfigureAwait(false);
            return socket;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            if (snapshot.GroupSettings.PreserveClientIp && e is SocketException { SocketErrorCode: SocketError.AccessDenied or SocketError.AddressNotAvailable }
                && Interlocked.Exchange(ref _loggedPreservationFailure, 1) == 0)
                _logger.LogError("{Listener}: preserve_client_ip.enabled is on but the connection to {Target} cannot leave from the client's address {Client}: {Reason}",
                    snapshot.Description, picked.Endpoint, client.Address, e.Message);
            socket.Dispose();
            return null;
        }
    }

    private static async Task SendProxyHeaderAsync(Socket target, IPEndPoint client, IPEndPoint node)
    {
        var header = ProxyHeader.For(ProxyTransport.Stream, Unmapped(client), Unmapped(node));
        var buffer = ArrayPool<byte>.Shared.Rent(ProxyProtocolV2.LengthOf(header));
        try
        {
            var length = ProxyProtocolV2.Write(header, buffer);
            await target.SendAsync(buffer.AsMemory(0, length), SocketFlags.None).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static IPEndPoint Unmapped(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    private void ResetClient(Socket client)
    {
        Counters.ResetSent();
        try { client.LingerState = new LingerOption(true, 0); }
        catch (SocketException) { }
        client.Dispose();
    }

    private void Sweep()
    {
        try
        {
            SweepFlows();
        }
        catch (Exception e)
        {
            // A timer callback that throws would end the process; one missed sweep is only late.
            _logger.LogError(e, "TCP flow sweep failed");
        }
    }

    private void SweepFlows()
    {
        var snapshot = _snapshot;
        var now = Environment.TickCount64;
        var idle = (long)snapshot.TcpIdleTimeout.TotalMilliseconds;
        foreach (var flow in _flows.Keys)
        {
            var quiet = now - flow.LastActivity;
            if (flow.IsExpired)
            {
                // Nobody spoke on the forgotten flow for another whole timeout: free its sockets.
                if (quiet > 2 * idle) flow.Terminate();
            }
            else if (quiet > idle) flow.Expire();
            else if (snapshot.MustTerminate(flow.TargetState, flow.Node.Address)) flow.Terminate();
        }
    }

    private static TimeSpan SweepPeriod(TimeSpan idleTimeout) =>
        TimeSpan.FromMilliseconds(Math.Clamp(idleTimeout.TotalMilliseconds / 10, 50, 1000));

    /// <summary>Stops accepting and resets every flow still open: a listener that is gone keeps no connections.</summary>
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _sweep.DisposeAsync().ConfigureAwait(false);
        foreach (var listener in _listeners) listener.Dispose();
        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        foreach (var flow in _flows.Keys) flow.Terminate();
        _stop.Dispose();
    }
}
