using System.Net;
using System.Net.Sockets;
using Elbe.DataPlane.Network.EventLoop;

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
    private static readonly byte[] V6Loopback = IPAddress.IPv6Loopback.GetAddressBytes();

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

    /// <summary>
    /// <see cref="BindToClient(Socket, IPEndPoint)"/> for a raw socket of the event-loop relay, with the client's
    /// sockaddr as accept4 gave it.
    /// </summary>
    /// <returns>0, or the errno that stopped it (EACCES when this process may not bind foreign addresses).</returns>
    internal static int BindToClient(int socket, ReadOnlySpan<byte> client, int length)
    {
        Span<byte> address = stackalloc byte[NativeAddress.MaxLength];
        client[..length].CopyTo(address);
        if (!IsLoopback(address))
        {
            if (WhyUnavailable is not null) return Libc.EACCES;
            var transparent = NativeAddress.Family(address) == Libc.AF_INET6
                ? Libc.SetInt(socket, Libc.SOL_IPV6, Libc.IPV6_TRANSPARENT, 1)
                : Libc.SetInt(socket, Libc.SOL_IP, Libc.IP_TRANSPARENT, 1);
            if (transparent != 0) return Libc.Errno;
        }
        Libc.SetInt(socket, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1);
        if (Libc.Bind(socket, ref address[0], length) == 0) return 0;
        if (Libc.Errno != Libc.EADDRINUSE) return Libc.Errno;
        // The client's own port is taken on this host (a loopback client, or another flow): keep the address.
        address[2] = address[3] = 0;
        return Libc.Bind(socket, ref address[0], length) == 0 ? 0 : Libc.Errno;
    }

    private static bool IsLoopback(ReadOnlySpan<byte> address)
    {
        var bytes = NativeAddress.AddressBytes(address);
        if (bytes.Length == 4) return bytes[0] == 127;
        return bytes.SequenceEqual(V6Loopback)
            || (bytes[..10].IndexOfAnyExcept((byte)0) < 0 && bytes[10] == 0xff && bytes[11] == 0xff && bytes[12] == 127);
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
