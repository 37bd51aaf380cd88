using System.Buffers.Binary;
using System.Runtime.InteropServices;
using static Elbe.DataPlane.Network.EventLoop.Libc;

namespace Elbe.DataPlane.Network.EventLoop;

/// <summary>
/// A loop's vector of datagrams for recvmmsg and sendmmsg: one system call moves up to <see cref="Capacity"/>
/// datagrams, and a short receive says the socket is drained, so a wake-up costs no extra call that ends in EAGAIN.
/// The kernel structures live in pinned arrays written once with their addresses; datagrams go from the receive
/// straight to the send without being copied or read.
/// </summary>
/// <remarks>Linux LP64 layout (x86-64, arm64): struct mmsghdr is a 56-byte msghdr and the received length, padded to 64.</remarks>
internal sealed class DatagramBatch
{
    public const int Capacity = 16;
    /// <summary>The largest UDP payload (IPv6 without jumbograms is 65,527), so no datagram is ever truncated.</summary>
    private const int SlotSize = 64 * 1024;
    private const int HeaderSize = 64, IovecSize = 16, NameSize = 32;
    private const int NameAt = 0, NameLengthAt = 8, IovecAt = 16, IovecCountAt = 24, LengthAt = 56;

    private readonly byte[] _headers = GC.AllocateArray<byte>(Capacity * HeaderSize, pinned: true);
    private readonly byte[] _iovecs = GC.AllocateArray<byte>(Capacity * IovecSize, pinned: true);
    private readonly byte[] _names = GC.AllocateArray<byte>(Capacity * NameSize, pinned: true);
    private readonly byte[] _data = GC.AllocateUninitializedArray<byte>(Capacity * SlotSize, pinned: true);
    private readonly nint _headersAddress;
    private readonly nint _namesAddress;

    public DatagramBatch()
    {
        // The layout above is written by hand; on any other ABI the kernel would read garbage addresses.
        if (!Environment.Is64BitProcess || !BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("The UDP relay needs a 64-bit little-endian Linux process (x86-64 or arm64).");
        _headersAddress = Marshal.UnsafeAddrOfPinnedArrayElement(_headers, 0);
        _namesAddress = Marshal.UnsafeAddrOfPinnedArrayElement(_names, 0);
        var iovecs = Marshal.UnsafeAddrOfPinnedArrayElement(_iovecs, 0);
        var data = Marshal.UnsafeAddrOfPinnedArrayElement(_data, 0);
        for (var i = 0; i < Capacity; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_iovecs.AsSpan(i * IovecSize), data + i * SlotSize);
            var header = Header(i);
            BinaryPrimitives.WriteInt64LittleEndian(header[IovecAt..], iovecs + i * IovecSize);
            BinaryPrimitives.WriteInt64LittleEndian(header[IovecCountAt..], 1);
        }
    }

    /// <summary>Receives up to <see cref="Capacity"/> datagrams, with each one's source when <paramref name="withSources"/>; the count, or -1 with errno set.</summary>
    public int Receive(int fd, bool withSources)
    {
        for (var i = 0; i < Capacity; i++)
        {
            SetName(i, withSources ? _namesAddress + i * NameSize : 0, withSources ? NativeAddress.MaxLength : 0);
            BinaryPrimitives.WriteInt64LittleEndian(_iovecs.AsSpan(i * IovecSize + 8), SlotSize);
        }
        return RecvMmsg(fd, _headersAddress, Capacity, 0, 0);
    }

    /// <summary>The sockaddr datagram <paramref name="index"/> came from (received with sources).</summary>
    public ReadOnlySpan<byte> Source(int index) =>
        _names.AsSpan(index * NameSize, BinaryPrimitives.ReadInt32LittleEndian(Header(index)[NameLengthAt..]));

    /// <summary>Sends received datagrams [<paramref name="first"/>, +<paramref name="count"/>) in order on a connected socket.</summary>
    public void SendConnected(int fd, int first, int count)
    {
        for (var i = first; i < first + count; i++) SetName(i, 0, 0);
        Send(fd, first, count);
    }

    /// <summary>Sends received datagrams [0, <paramref name="count"/>) in order to <paramref name="destination"/>.</summary>
    public void SendTo(int fd, int count, ReadOnlySpan<byte> destination)
    {
        // Every header names the same sockaddr, copied into the first name slot (a receive without sources left them unused).
        destination.CopyTo(_names);
        for (var i = 0; i < count; i++) SetName(i, _namesAddress, destination.Length);
        Send(fd, 0, count);
    }

    private void Send(int fd, int first, int count)
    {
        for (var i = first; i < first + count; i++)
            BinaryPrimitives.WriteInt64LittleEndian(_iovecs.AsSpan(i * IovecSize + 8), BinaryPrimitives.ReadUInt32LittleEndian(Header(i)[LengthAt..]));
        var end = first + count;
        while (first < end)
        {
            var sent = SendMmsg(fd, _headersAddress + first * HeaderSize, (uint)(end - first), MSG_NOSIGNAL);
            if (sent > 0)
            {
                first += sent;
                continue;
            }
            // UDP drops what it cannot send: a full send buffer drops the rest of the batch; any other error (an
            // ICMP error reported for an earlier datagram) drops the one datagram it stopped at.
            if (Errno == EAGAIN) return;
            first++;
        }
    }

    private Span<byte> Header(int index) => _headers.AsSpan(index * HeaderSize, HeaderSize);

    private void SetName(int index, nint address, int length)
    {
        var header = Header(index);
        BinaryPrimitives.WriteInt64LittleEndian(header[NameAt..], address);
        BinaryPrimitives.WriteInt32LittleEndian(header[NameLengthAt..], length);
    }
}
