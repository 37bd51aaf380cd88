using System.Net;
using Microsoft.Extensions.Logging;

namespace Elbe.DataPlane.Network;

/// <summary>
/// One NLB listener: a TCP relay, a UDP relay, or both for TCP_UDP, or a TLS relay, on the same port of every node address.
/// </summary>
public sealed class NetworkListenerHost : IAsyncDisposable
{
    private NetworkListenerHost(string protocol, int port, IPAddress[] addresses, TcpListenerRelay? tcp, UdpListenerRelay? udp, TlsListenerRelay? tls)
    {
        Tls = tls;
        Protocol = protocol;
        Port = port;
        Addresses = addresses;
        Tcp = tcp;
        Udp = udp;
    }

    public string Protocol { get; }
    public int Port { get; }
    public IPAddress[] Addresses { get; }
    public TcpListenerRelay? Tcp { get; }
    public UdpListenerRelay? Udp { get; }
    public TlsListenerRelay? Tls { get; }

    /// <summary>The protocols this data plane relays.</summary>
    public static bool Serves(string protocol) => protocol is "TCP" or "UDP" or "TCP_UDP" or "TLS";

    public static async Task<NetworkListenerHost> StartAsync(string protocol, int port, IPAddress[] addresses, NetworkListenerSnapshot snapshot, int udpFlowCapacity, ILogger logger)
    {
        TcpListenerRelay? tcp = null;
        try
        {
            if (protocol == "TLS") return new NetworkListenerHost(protocol, port, addresses, null, null, TlsListenerRelay.Start(addresses, port, snapshot, logger));
            if (protocol is "TCP" or "TCP_UDP") tcp = TcpListenerRelay.Start(addresses, port, snapshot, logger);
            var udp = protocol is "UDP" or "TCP_UDP" ? UdpListenerRelay.Start(addresses, port, snapshot, udpFlowCapacity, logger) : null;
            return new NetworkListenerHost(protocol, port, addresses, tcp, udp, null);
        }
        catch
        {
            if (tcp is not null) await tcp.DisposeAsync();
            throw;
        }
    }

    public void Apply(NetworkListenerSnapshot snapshot)
    {
        Tcp?.Apply(snapshot);
        Udp?.Apply(snapshot);
        Tls?.Apply(snapshot);
    }

    public async ValueTask DisposeAsync()
    {
        if (Tcp is not null) await Tcp.DisposeAsync();
        if (Udp is not null) await Udp.DisposeAsync();
        if (Tls is not null) await Tls.DisposeAsync();
    }
}
