using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Elbe.DataPlane.ProxyProtocol;

/// <summary>
/// The binary PROXY protocol v2 header NLB prepends with <c>proxy_protocol_v2.enabled</c> (fact sheet 3.2):
/// 12-byte signature, version/command, family/transport, big-endian length, the address block, then TLVs.
/// </summary>
public static class ProxyProtocolV2
{
    public static ReadOnlySpan<byte> Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    public const int FixedLength = 16;
    private const int Ipv4Block = 12;
    private const int Ipv6Block = 36;
    private const int UnixBlock = 216;

    /// <summary>Bytes <see cref="Write"/> produces for this header.</summary>
    public static int LengthOf(ProxyHeader header) => FixedLength + BlockLength(header) + TlvLength(header.Tlvs);

    /// <summary>Writes the header at the start of <paramref name="destination"/>; returns its length.</summary>
    public static int Write(ProxyHeader header, Span<byte> destination)
    {
        var block = BlockLength(header);
        var length = FixedLength + block + TlvLength(header.Tlvs);
        if (destination.Length < length) throw new ArgumentException($"The header needs {length} bytes.", nameof(destination));
        if (length - FixedLength > ushort.MaxValue) throw new ArgumentException("The TLVs are longer than a header can carry.", nameof(header));

        Signature.CopyTo(destination);
        destination[12] = (byte)(0x20 | (int)header.Command);
        var family = block switch { Ipv4Block => 0x10, Ipv6Block => 0x20, _ => 0x00 };
        destination[13] = (byte)(family | (block == 0 ? 0 : (int)header.Transport));
        BinaryPrimitives.WriteUInt16BigEndian(destination[14..], (ushort)(length - FixedLength));

        var at = FixedLength;
        if (block != 0)
        {
            var (source, target) = (header.Source!, header.Destination!);
            var v6 = block == Ipv6Block;
            WriteAddress(source.Address, v6, destination[at..]);
            at += v6 ? 16 : 4;
            WriteAddress(target.Address, v6, destination[at..]);
            at += v6 ? 16 : 4;
            BinaryPrimitives.WriteUInt16BigEndian(destination[at..], (ushort)source.Port);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(at + 2)..], (ushort)target.Port);
            at += 4;
        }
        foreach (var tlv in header.Tlvs)
        {
            destination[at] = tlv.Type;
            BinaryPrimitives.WriteUInt16BigEndian(destination[(at + 1)..], (ushort)tlv.Value.Length);
            tlv.Value.CopyTo(destination[(at + 3)..]);
            at += 3 + tlv.Value.Length;
        }
        return at;
    }

    public static byte[] ToBytes(ProxyHeader header)
    {
        var bytes = new byte[LengthOf(header)];
        Write(header, bytes);
        return bytes;
    }

    /// <summary>
    /// Reads a header from the start of <paramref name="data"/>. <paramref name="consumed"/> is its length when
    /// complete; the payload follows it. A LOCAL header yields null addresses whatever its block holds.
    /// </summary>
    public static ProxyParseStatus TryParse(ReadOnlySpan<byte> data, out ProxyHeader? header, out int consumed)
    {
        header = null;
        consumed = 0;
        var signature = Signature;
        var prefix = Math.Min(data.Length, signature.Length);
        if (!data[..prefix].SequenceEqual(signature[..prefix])) return ProxyParseStatus.Invalid;
        if (data.Length < FixedLength) return ProxyParseStatus.NeedMoreData;

        var versionCommand = data[12];
        if (versionCommand >> 4 != 2 || (versionCommand & 0x0F) > 1) return ProxyParseStatus.Invalid;
        var command = (ProxyCommand)(versionCommand & 0x0F);
        var family = data[13] >> 4;
        var transport = data[13] & 0x0F;
        if (family > 3 || transport > 2) return ProxyParseStatus.Invalid;
        var length = BinaryPrimitives.ReadUInt16BigEndian(data[14..]);
        if (data.Length < FixedLength + length) return ProxyParseStatus.NeedMoreData;

        var body = data.Slice(FixedLength, length);
        var block = family switch { 1 => Ipv4Block, 2 => Ipv6Block, 3 => UnixBlock, _ => 0 };
        if (body.Length < block) return ProxyParseStatus.Invalid;

        IPEndPoint? source = null, destination = null;
        if (block is Ipv4Block or Ipv6Block && command == ProxyCommand.Proxy)
        {
            var size = block == Ipv4Block ? 4 : 16;
            source = new IPEndPoint(new IPAddress(body[..size]), BinaryPrimitives.ReadUInt16BigEndian(body[(2 * size)..]));
            destination = new IPEndPoint(new IPAddress(body.Slice(size, size)), BinaryPrimitives.ReadUInt16BigEndian(body[(2 * size + 2)..]));
        }

        var tlvs = new List<ProxyTlv>();
        var rest = body[block..];
        while (rest.Length > 0)
        {
            if (rest.Length < 3) return ProxyParseStatus.Invalid;
            var valueLength = BinaryPrimitives.ReadUInt16BigEndian(rest[1..]);
            if (rest.Length < 3 + valueLength) return ProxyParseStatus.Invalid;
            tlvs.Add(new ProxyTlv(rest[0], rest.Slice(3, valueLength).ToArray()));
            rest = rest[(3 + valueLength)..];
        }

        header = new ProxyHeader(command, (ProxyTransport)transport, source, destination, tlvs);
        consumed = FixedLength + length;
        return ProxyParseStatus.Complete;
    }

    private static int BlockLength(ProxyHeader header)
    {
        if (header.Command == ProxyCommand.Local || header.Source is null || header.Destination is null) return 0;
        // One IPv4 end and one IPv6 end (a dual-stack node) are both written as IPv6, the IPv4 one mapped.
        return header.Source.AddressFamily == AddressFamily.InterNetwork && header.Destination.AddressFamily == AddressFamily.InterNetwork
            ? Ipv4Block
            : Ipv6Block;
    }

    private static int TlvLength(IReadOnlyList<ProxyTlv> tlvs)
    {
        var length = 0;
        foreach (var tlv in tlvs) length += 3 + tlv.Value.Length;
        return length;
    }

    private static void WriteAddress(IPAddress address, bool v6, Span<byte> destination)
    {
        var written = (v6 && address.AddressFamily == AddressFamily.InterNetwork ? address.MapToIPv6() : address).TryWriteBytes(destination, out _);
        if (!written) throw new ArgumentException("The address does not fit its block.", nameof(address));
    }
}
