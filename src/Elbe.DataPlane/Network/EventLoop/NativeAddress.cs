using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Elbe.DataPlane.Network.EventLoop;

/// <summary>Linux's sockaddr_in and sockaddr_in6, written and read in place: the relay passes them to the kernel as bytes.</summary>
internal static class NativeAddress
{
    public const int MaxLength = 28;
    private const int V4Length = 16;

    /// <summary>Writes <paramref name="address"/>:<paramref name="port"/> into <paramref name="destination"/>; returns its length.</summary>
    public static int Write(IPAddress address, int port, Span<byte> destination)
    {
        destination[..MaxLength].Clear();
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)port);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination, Libc.AF_INET);
            address.TryWriteBytes(destination.Slice(4, 4), out _);
            return V4Length;
        }
        BinaryPrimitives.WriteUInt16LittleEndian(destination, Libc.AF_INET6);
        address.TryWriteBytes(destination.Slice(8, 16), out _);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[24..], (uint)address.ScopeId);
        return MaxLength;
    }

    /// <summary>A target's sockaddr, or an empty array when its address does not parse.</summary>
    public static byte[] Of(string address, int port)
    {
        if (!IPAddress.TryParse(address, out var parsed)) return [];
        Span<byte> encoded = stackalloc byte[MaxLength];
        return encoded[..Write(parsed, port, encoded)].ToArray();
    }

    public static int Family(ReadOnlySpan<byte> address) => BinaryPrimitives.ReadUInt16LittleEndian(address);

    public static int Port(ReadOnlySpan<byte> address) => BinaryPrimitives.ReadUInt16BigEndian(address[2..]);

    /// <summary>The address bytes alone: 4 for IPv4, 16 for IPv6 (an IPv4-mapped one stays 16, as the runtime reports it).</summary>
    public static ReadOnlySpan<byte> AddressBytes(ReadOnlySpan<byte> address) =>
        Family(address) == Libc.AF_INET ? address.Slice(4, 4) : address.Slice(8, 16);

    public static IPEndPoint ToEndPoint(ReadOnlySpan<byte> address) =>
        Family(address) == Libc.AF_INET
            ? new IPEndPoint(new IPAddress(address.Slice(4, 4)), Port(address))
            : new IPEndPoint(new IPAddress(address.Slice(8, 16), BinaryPrimitives.ReadUInt32LittleEndian(address[24..])), Port(address));
}
