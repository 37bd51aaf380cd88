using System.Buffers.Binary;
using Elbe.DataPlane.Network.EventLoop;

namespace Elbe.DataPlane.Network;

/// <summary>A UDP client's address and port as the flow table's key: built from the received sockaddr without allocating.</summary>
internal readonly record struct UdpClientKey(ulong High, ulong Low, int Port)
{
    public static UdpClientKey Of(ReadOnlySpan<byte> sockaddr)
    {
        var address = NativeAddress.AddressBytes(sockaddr);
        var port = NativeAddress.Port(sockaddr);
        return address.Length == 4
            ? new UdpClientKey(0, BinaryPrimitives.ReadUInt32BigEndian(address), port)
            : new UdpClientKey(BinaryPrimitives.ReadUInt64BigEndian(address), BinaryPrimitives.ReadUInt64BigEndian(address[8..]), port | 1 << 16);
    }
}
