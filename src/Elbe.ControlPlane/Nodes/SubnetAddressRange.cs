using System.Net;
using System.Net.Sockets;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Nodes;

/// <summary>
/// The addresses a subnet can hand to load balancer nodes. A range keeps AWS's reservations (the first four
/// addresses and the last) so numbering matches what people expect from a VPC; a single address is shared.
/// </summary>
internal sealed class SubnetAddressRange
{
    private readonly IPNetwork _network;

    private SubnetAddressRange(Subnet subnet, IPNetwork network)
    {
        Subnet = subnet;
        _network = network;
    }

    public Subnet Subnet { get; }

    public bool IsSingleAddress => _network.PrefixLength == (_network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);

    public IPAddress BaseAddress => _network.BaseAddress;

    public static SubnetAddressRange? TryParse(Subnet subnet)
    {
        var cidr = subnet.Cidr.Contains('/', StringComparison.Ordinal) ? subnet.Cidr
            : subnet.Cidr + (subnet.Cidr.Contains(':', StringComparison.Ordinal) ? "/128" : "/32");
        return IPNetwork.TryParse(cidr, out var network) ? new SubnetAddressRange(subnet, network) : null;
    }

    public bool Contains(IPAddress address) => _network.Contains(address);

    /// <summary>Whether a node may be given this address (inside the range and not reserved).</summary>
    public bool IsAssignable(IPAddress address)
    {
        if (!Contains(address)) return false;
        if (IsSingleAddress) return true;
        return Assignable().Any(a => a.Equals(address));
    }

    /// <summary>Assignable addresses in order, lowest first.</summary>
    public IEnumerable<IPAddress> Assignable()
    {
        if (IsSingleAddress)
        {
            yield return _network.BaseAddress;
            yield break;
        }
        var bytes = _network.BaseAddress.GetAddressBytes();
        var hostBits = bytes.Length * 8 - _network.PrefixLength;
        // Ranges beyond 2^24 hosts are not worth walking in full; nobody runs that many nodes on one box.
        var count = hostBits >= 24 ? 1UL << 24 : 1UL << hostBits;
        for (ulong i = 4; i + 1 < count; i++)
            yield return Offset(bytes, i);
    }

    private static IPAddress Offset(byte[] baseBytes, ulong offset)
    {
        var bytes = (byte[])baseBytes.Clone();
        var carry = offset;
        for (var k = bytes.Length - 1; k >= 0 && carry > 0; k--)
        {
            var sum = bytes[k] + (carry & 0xFF);
            bytes[k] = (byte)sum;
            carry = (carry >> 8) + (sum >> 8);
        }
        return new IPAddress(bytes);
    }
}
