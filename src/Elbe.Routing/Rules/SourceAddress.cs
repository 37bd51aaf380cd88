using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Elbe.Routing.Rules;

/// <summary>
/// The connection's peer address as two 64-bit halves. An IPv4-mapped IPv6 peer (<c>::ffff:a.b.c.d</c>, what a
/// dual-stack socket reports for IPv4 clients) is treated as the IPv4 address, so IPv4 rules keep working.
/// </summary>
public readonly struct SourceAddress
{
    private SourceAddress(AddressFamily family, ulong high, ulong low)
    {
        Family = family;
        High = high;
        Low = low;
    }

    public AddressFamily Family { get; }
    public ulong High { get; }
    public ulong Low { get; }

    public static SourceAddress From(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written)) return default;
        if (written == 4)
            return new SourceAddress(AddressFamily.InterNetwork, 0, BinaryPrimitives.ReadUInt32BigEndian(bytes));

        var high = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        var low = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        if (high == 0 && (low >> 32) == 0xFFFF)
            return new SourceAddress(AddressFamily.InterNetwork, 0, low & 0xFFFF_FFFFUL);
        return new SourceAddress(AddressFamily.InterNetworkV6, high, low);
    }
}
