using System.Net;
using Elbe.DataPlane.Network.EventLoop;

namespace Elbe.DataPlane.Network;

/// <summary>A UDP listener's socket on one node address, with the flows of the clients that sent to it.</summary>
internal sealed class UdpNodeSocket(int fd, IPEndPoint endpoint, UdpFlowTable flows, UdpListenerRelay relay) : IReadiness
{
    public int Fd { get; } = fd;
    public IPEndPoint Endpoint { get; } = endpoint;
    public UdpFlowTable Flows { get; } = flows;
    public UdpListenerRelay Relay { get; } = relay;
    public int Slot { get; set; } = -1;

    public void OnReady(uint events) => Relay.Receive(this);
}
