using System.Net;

namespace Elbe.DataPlane.Network.EventLoop;

/// <summary>A listening socket of a TCP listener on one node address, shared by every <see cref="RelayLoop"/>.</summary>
internal sealed record NodeListener(int Fd, IPEndPoint Node)
{
    /// <summary>Bound to every address: each flow asks its own socket which one it reached.</summary>
    public bool IsWildcard { get; } = Node.Address.Equals(IPAddress.Any) || Node.Address.Equals(IPAddress.IPv6Any);
}
