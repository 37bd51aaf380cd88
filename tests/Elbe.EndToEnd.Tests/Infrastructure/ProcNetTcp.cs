using System.Globalization;
using System.Net;

namespace Elbe.EndToEnd.Tests.Infrastructure;

/// <summary>The kernel's view of IPv4 TCP sockets (/proc/net/tcp): what state a load balancer's socket is in.</summary>
public static class ProcNetTcp
{
    public const string Established = "01", SynReceived = "03", CloseWait = "08", Listen = "0A";

    /// <summary>The state (hex, as /proc/net/tcp prints it) of the socket at <paramref name="local"/> whose peer is <paramref name="peer"/>, or null.</summary>
    public static string? StateOf(IPEndPoint local, IPEndPoint peer)
    {
        string wantLocal = Address(local), wantPeer = Address(peer);
        return Sockets().FirstOrDefault(s => s.Local == wantLocal && s.Peer == wantPeer).State;
    }

    /// <summary>The inode of the listen socket at <paramref name="local"/>, or null.</summary>
    public static long? ListenSocketAt(IPEndPoint local)
    {
        var wantLocal = Address(local);
        foreach (var socket in Sockets())
            if (socket.Local == wantLocal && socket.State == Listen) return socket.Inode;
        return null;
    }

    /// <summary>The inodes of the sockets at <paramref name="local"/> whose peers are <paramref name="peers"/>, in any state: a listener's side of those connections.</summary>
    public static HashSet<long> InodesAt(IPEndPoint local, IEnumerable<EndPoint?> peers)
    {
        var wantLocal = Address(local);
        var wantPeers = peers.OfType<IPEndPoint>().Select(Address).ToHashSet();
        return [.. Sockets().Where(s => s.Local == wantLocal && wantPeers.Contains(s.Peer)).Select(s => s.Inode)];
    }

    /// <summary>Each line of /proc/net/tcp: local and peer address as printed, state, inode.</summary>
    private static IEnumerable<(string Local, string Peer, string? State, long Inode)> Sockets()
    {
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            yield return (fields[1], fields[2], fields[3], long.Parse(fields[9], CultureInfo.InvariantCulture));
        }
    }

    // The kernel prints the address as the 32-bit word in host (little-endian) order, the port big-endian.
    private static string Address(IPEndPoint endPoint)
    {
        // Test clients' sockets may be dual-mode: their address is IPv4 mapped into IPv6.
        var bytes = endPoint.Address.MapToIPv4().GetAddressBytes();
        Array.Reverse(bytes);
        return Convert.ToHexString(bytes) + ":" + endPoint.Port.ToString("X4", CultureInfo.InvariantCulture);
    }
}
