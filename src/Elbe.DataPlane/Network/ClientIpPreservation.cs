using System.Net;
using System.Net.Sockets;

namespace Elbe.DataPlane.Network;

/// <summary>
/// preserve_client_ip.enabled (fact sheet 2.3): the target connection leaves from the client's own address.
/// For an address the host does not own this takes IP_TRANSPARENT, so CAP_NET_ADMIN, and a host that routes
/// the target's replies back through the load balancer (policy routing of the target side to local delivery).
/// Loopback addresses are the host's own, so loopback clients need no capability.
/// </summary>
public static class ClientIpPreservation
{
    // linux/in.h and linux/in6.h.
    private const int SolIp = 0;
    private const int IpTransparent = 19;
    private const int SolIpv6 = 41;
    private const int Ipv6Transparent = 75;

    private static readonly Lazy<string?> Missing = new(Probe);

    /// <summary>Null when this process can bind sockets to addresses it does not own; else why not.</summary>
    public static string? WhyUnavailable => Missing.Value;

    /// <summary>Binds <paramref name="socket"/> to the client's address (and port when it is free) before it connects to the target.</summary>
    public static void BindToClient(Socket socket, IPEndPoint client)
    {
        var address = client.Address.IsIPv4MappedToIPv6 ? client.Address.MapToIPv4() : client.Address;
        if (!IPAddress.IsLoopback(address))
        {
            if (WhyUnavailable is { } why) throw new SocketException((int)SocketError.AccessDenied, why);
            SetTransparent(socket);
        }
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            socket.Bind(new IPEndPoint(address, client.Port));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            // The client's own port is taken on this host (a loopback client, or another flow): keep the address.
            socket.Bind(new IPEndPoint(address, 0));
        }
    }

    private static void SetTransparent(Socket socket)
    {
        ReadOnlySpan<byte> on = [1, 0, 0, 0];
        if (socket.AddressFamily == AddressFamily.InterNetworkV6) socket.SetRawSocketOption(SolIpv6, Ipv6Transparent, on);
        else socket.SetRawSocketOption(SolIp, IpTransparent, on);
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux()) return "client IP preservation needs Linux's IP_TRANSPARENT socket option";
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            SetTransparent(socket);
            return null;
        }
        catch (SocketException e)
        {
            return $"client IP preservation needs IP_TRANSPARENT, which this process may not set ({e.SocketErrorCode}); run it with CAP_NET_ADMIN";
        }
    }
}
