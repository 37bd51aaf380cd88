using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Elbe.DataPlane.Listeners.Transport;

/// <summary>
/// Kestrel's transport for the HTTP and HTTPS listeners: their client connections live on the same edge-triggered
/// event loops as the NLB's TCP flows (<see cref="Network.EventLoop.RelayLoop"/>), one per CPU.
/// </summary>
/// <remarks>
/// Written by hand because Kestrel's socket transport goes through System.Net.Sockets' per-operation async
/// machinery (an async context per socket, a state machine per receive and send, one epoll thread handing
/// readiness on) and offers no other. Here a readable socket is read on the loop that saw it, straight into the
/// connection's pipe, and Kestrel runs inline from there. Measured against the socket transport on kept-alive
/// HTTP/1.1: about 8% less CPU per request and 10% more requests per second (bench/RESULTS.md). Linux only;
/// ELBE_LISTENER_TRANSPORT=sockets (or another OS) keeps Kestrel's socket transport.
/// </remarks>
public sealed class EventLoopTransportFactory(IMemoryPoolFactory<byte> pools, ILogger logger) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    /// <summary>Kestrel's socket transport's default backlog.</summary>
    private const int Backlog = 512;

    public static bool IsChosen => OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("ELBE_LISTENER_TRANSPORT") != "sockets";

    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is not IPEndPoint) throw new NotSupportedException($"The event-loop transport listens on IP addresses only, not {endpoint}.");
        Socket socket;
        try
        {
            socket = DeferredAccept.CreateBoundListenSocket(endpoint);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            // Kestrel reports this one as "address already in use" only when it comes as its own exception type.
            throw new AddressInUseException(e.Message, e);
        }
        // Linux hands TCP_NODELAY on to every accepted socket: set here once, not per connection.
        socket.NoDelay = true;
        socket.Listen(Backlog);
        socket.Blocking = false;
        var listener = new EventLoopConnectionListener(socket, pools.Create(), logger);
        listener.Start();
        return ValueTask.FromResult<IConnectionListener>(listener);
    }
}
