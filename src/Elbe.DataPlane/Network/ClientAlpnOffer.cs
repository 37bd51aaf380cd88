using System.Buffers.Binary;

namespace Elbe.DataPlane.Network;

/// <summary>
/// The ALPN protocols a TLS ClientHello offers, read from the first record before the handshake consumes it.
/// NLB answers a client whose list shares nothing with its policy without ALPN (fact sheet 2.5), where the TLS
/// stack on its own would end the handshake with no_application_protocol; knowing the offer avoids that.
/// </summary>
public static class ClientAlpnOffer
{
    private const byte HandshakeRecord = 0x16;
    private const byte ClientHelloMessage = 0x01;
    private const ushort AlpnExtension = 0x0010;

    /// <summary>The offered protocol names; null when the bytes are not a whole ClientHello (then nothing is assumed).</summary>
    public static List<string>? Read(ReadOnlySpan<byte> record)
    {
        if (record.Length < 9 || record[0] != HandshakeRecord || record[5] != ClientHelloMessage) return null;
        var length = BinaryPrimitives.ReadUInt16BigEndian(record[3..]);
        if (record.Length < 5 + length) return null;
        var hello = record.Slice(9, Math.Min(length - 4, (record[6] << 16) | (record[7] << 8) | record[8]));
        // version(2) random(32), then session id, cipher suites and compression methods, each length-prefixed.
        var at = 34;
        if (!Skip(hello, ref at, 1) || !Skip(hello, ref at, 2) || !Skip(hello, ref at, 1)) return null;
        var offered = new List<string>();
        if (at + 2 > hello.Length) return offered;
        var extensionsEnd = Math.Min(hello.Length, at + 2 + BinaryPrimitives.ReadUInt16BigEndian(hello[at..]));
        at += 2;
        while (at + 4 <= extensionsEnd)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(hello[at..]);
            var size = BinaryPrimitives.ReadUInt16BigEndian(hello[(at + 2)..]);
            at += 4;
            if (at + size > extensionsEnd) return null;
            if (type == AlpnExtension && size >= 2)
            {
                var list = hello.Slice(at + 2, Math.Min(size - 2, BinaryPrimitives.ReadUInt16BigEndian(hello[at..])));
                for (var i = 0; i < list.Length;)
                {
                    var nameLength = list[i];
                    if (i + 1 + nameLength > list.Length) return null;
                    offered.Add(System.Text.Encoding.ASCII.GetString(list.Slice(i + 1, nameLength)));
                    i += 1 + nameLength;
                }
            }
            at += size;
        }
        return offered;
    }

    private static bool Skip(ReadOnlySpan<byte> hello, ref int at, int prefixBytes)
    {
        if (at + prefixBytes > hello.Length) return false;
        var size = prefixBytes == 1 ? hello[at] : BinaryPrimitives.ReadUInt16BigEndian(hello[at..]);
        at += prefixBytes + size;
        return at <= hello.Length;
    }
}
