using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Elbe.Routing.Rules;

/// <summary>
/// One source-ip CIDR with its mask precomputed, so a membership test is two AND/compare pairs on 64-bit
/// halves and never touches the heap. IPv4 blocks are kept in the low half of <see cref="_low"/>.
/// </summary>
public readonly struct SourceIpBlock
{
    private readonly ulong _high;
    private readonly ulong _low;
    private readonly ulong _maskHigh;
    private readonly ulong _maskLow;

    private SourceIpBlock(AddressFamily family, int prefixLength, ulong high, ulong low, ulong maskHigh, ulong maskLow)
    {
        Family = family;
        PrefixLength = prefixLength;
        _maskHigh = maskHigh;
        _maskLow = maskLow;
        // Host bits set in the configured address are ignored, as if the network address had been written.
        _high = high & maskHigh;
        _low = low & maskLow;
    }

    public AddressFamily Family { get; }
    public int PrefixLength { get; }

    /// <summary>Parses <c>a.b.c.d/n</c> (n 0-32) or <c>v6/n</c> (n 0-128). The prefix is required.</summary>
    public static bool TryParse(string cidr, out SourceIpBlock block)
    {
        block = default;
        var slash = cidr.IndexOf('/');
        if (slash <= 0) return false;
        if (!IPAddress.TryParse(cidr.AsSpan(0, slash), out var address)) return false;
        if (!int.TryParse(cidr.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)) return false;

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            if (prefix > 32) return false;
            ulong value = BinaryPrimitives.ReadUInt32BigEndian(bytes);
            var mask = prefix == 0 ? 0UL : (0xFFFF_FFFFUL << (32 - prefix)) & 0xFFFF_FFFFUL;
            block = new SourceIpBlock(AddressFamily.InterNetwork, prefix, 0, value, 0, mask);
            return true;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && written == 16)
        {
            if (prefix > 128) return false;
            var high = BinaryPrimitives.ReadUInt64BigEndian(bytes);
            var low = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
            var maskHigh = prefix >= 64 ? ulong.MaxValue : prefix == 0 ? 0 : ulong.MaxValue << (64 - prefix);
            var maskLow = prefix <= 64 ? 0 : prefix == 128 ? ulong.MaxValue : ulong.MaxValue << (128 - prefix);
            block = new SourceIpBlock(AddressFamily.InterNetworkV6, prefix, high, low, maskHigh, maskLow);
            return true;
        }
        return false;
    }

    /// <summary>Membership for an address already split by <see cref="SourceAddress"/>.</summary>
    public bool Contains(in SourceAddress address) =>
        address.Family == Family && (address.High & _maskHigh) == _high && (address.Low & _maskLow) == _low;
}
