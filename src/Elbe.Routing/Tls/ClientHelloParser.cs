using System.Buffers.Binary;
using System.Text;

namespace Elbe.Routing.Tls;

/// <summary>
/// Reads the first TLS record of a connection (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2) for the SNI host name and
/// the key types the client can verify: ECDSA when its signature_algorithms allow ECDSA and, below TLS 1.3,
/// it also offers an ECDHE_ECDSA cipher suite; RSA likewise. A ClientHello longer than one record is read as
/// far as the record goes: whatever is missing counts as "supports everything", and preference decides.
/// </summary>
public static class ClientHelloParser
{
    public const int RecordHeaderLength = 5;
    /// <summary>The largest first record worth waiting for: a plaintext record is at most 2^14 bytes.</summary>
    public const int MaxRecordLength = RecordHeaderLength + (1 << 14);

    private const byte HandshakeRecord = 0x16;
    private const byte ClientHelloMessage = 0x01;
    private const ushort ServerNameExtension = 0;
    private const ushort SignatureAlgorithmsExtension = 13;
    private const ushort AlpnExtension = 16;
    private const ushort SupportedVersionsExtension = 43;
    private const ushort Tls13 = 0x0304;

    /// <summary>Bytes the first record needs in all, or null when fewer than a record header have arrived.</summary>
    public static int? RecordLength(ReadOnlySpan<byte> data) =>
        data.Length < RecordHeaderLength ? null : RecordHeaderLength + BinaryPrimitives.ReadUInt16BigEndian(data[3..]);

    public static ClientHelloParseStatus TryParse(ReadOnlySpan<byte> data, out ClientHello? hello)
    {
        hello = null;
        if (data.Length >= 1 && data[0] != HandshakeRecord) return ClientHelloParseStatus.NotClientHello;
        if (RecordLength(data) is not { } length) return ClientHelloParseStatus.Incomplete;
        if (length > MaxRecordLength) return ClientHelloParseStatus.NotClientHello;
        if (data.Length < length) return ClientHelloParseStatus.Incomplete;
        var fragment = data[RecordHeaderLength..length];
        if (fragment.Length < 4 || fragment[0] != ClientHelloMessage) return ClientHelloParseStatus.NotClientHello;
        var messageLength = (fragment[1] << 16) | (fragment[2] << 8) | fragment[3];
        var body = fragment[4..];
        if (body.Length > messageLength) body = body[..messageLength];
        hello = Read(body);
        return ClientHelloParseStatus.Parsed;
    }

    private static ClientHello Read(ReadOnlySpan<byte> body)
    {
        var reader = new Reader(body);
        string? serverName = null;
        var offersTls13 = false;
        var sigalgsSeen = false;
        var sigalgEcdsa = false;
        var sigalgRsa = false;
        var suiteEcdsa = false;
        var suiteRsa = false;
        var complete = false;
        List<string>? alpn = null;

        if (reader.Skip(2 + 32) && reader.SkipVector8() && reader.Vector16(out var suites))
        {
            for (var i = 0; i + 1 < suites.Length; i += 2)
            {
                var suite = BinaryPrimitives.ReadUInt16BigEndian(suites[i..]);
                if (IsTls13Suite(suite) || IsSignalling(suite)) continue;
                if (IsEcdsaSuite(suite)) suiteEcdsa = true;
                else suiteRsa = true;
            }
            if (reader.SkipVector8())
            {
                complete = true;
                if (reader.Vector16(out var extensions))
                {
                    var ext = new Reader(extensions);
                    while (ext.UInt16(out var type) && ext.Vector16(out var data))
                    {
                        switch (type)
                        {
                            case ServerNameExtension:
                                serverName ??= ReadServerName(data);
                                break;
                            case SignatureAlgorithmsExtension:
                                sigalgsSeen = true;
                                ReadSignatureAlgorithms(data, ref sigalgEcdsa, ref sigalgRsa);
                                break;
                            case SupportedVersionsExtension:
                                offersTls13 = OffersTls13(data);
                                break;
                            case AlpnExtension:
                                alpn ??= ReadAlpn(data);
                                break;
                        }
                    }
                }
            }
        }
        if (!complete) return new ClientHello(serverName, ClientKeySupport.Any, offersTls13) { AlpnProtocols = alpn ?? [] };

        // Without signature_algorithms a TLS 1.2 client accepts SHA-1 signatures of either kind (RFC 5246 §7.4.1.4.1).
        var ecdsa = (!sigalgsSeen || sigalgEcdsa) && (suiteEcdsa || offersTls13);
        var rsa = (!sigalgsSeen || sigalgRsa) && (suiteRsa || offersTls13);
        return new ClientHello(serverName, new ClientKeySupport(rsa, ecdsa), offersTls13) { AlpnProtocols = alpn ?? [] };
    }

    private static List<string> ReadAlpn(ReadOnlySpan<byte> data)
    {
        var protocols = new List<string>();
        var reader = new Reader(data);
        if (!reader.Vector16(out var list)) return protocols;
        var names = new Reader(list);
        while (names.Byte(out var length) && length > 0 && names.Take(length, out var name))
            protocols.Add(Encoding.ASCII.GetString(name));
        return protocols;
    }

    private static string? ReadServerName(ReadOnlySpan<byte> data)
    {
        var reader = new Reader(data);
        if (!reader.Vector16(out var list)) return null;
        var names = new Reader(list);
        while (names.Byte(out var nameType) && names.Vector16(out var name))
            if (nameType == 0 && name.Length > 0 && Ascii.IsValid(name))
                return Encoding.ASCII.GetString(name);
        return null;
    }

    private static void ReadSignatureAlgorithms(ReadOnlySpan<byte> data, ref bool ecdsa, ref bool rsa)
    {
        var reader = new Reader(data);
        if (!reader.Vector16(out var list)) return;
        for (var i = 0; i + 1 < list.Length; i += 2)
        {
            var scheme = BinaryPrimitives.ReadUInt16BigEndian(list[i..]);
            var (hash, signature) = (scheme >> 8, scheme & 0xFF);
            // TLS 1.2 pairs (hash 1-6, signature 1 = rsa, 3 = ecdsa) share their codes with TLS 1.3's ecdsa_* and rsa_pkcs1_*.
            if (hash is >= 1 and <= 6 && signature == 3) ecdsa = true;
            else if (hash is >= 1 and <= 6 && signature == 1) rsa = true;
            // rsa_pss_rsae_* and rsa_pss_pss_*.
            else if (scheme is >= 0x0804 and <= 0x0806 or >= 0x0809 and <= 0x080B) rsa = true;
        }
    }

    private static bool OffersTls13(ReadOnlySpan<byte> data)
    {
        if (data.Length < 1) return false;
        var list = data.Slice(1, Math.Min(data[0], data.Length - 1));
        for (var i = 0; i + 1 < list.Length; i += 2)
            if (BinaryPrimitives.ReadUInt16BigEndian(list[i..]) == Tls13) return true;
        return false;
    }

    private static bool IsTls13Suite(ushort suite) => suite is >= 0x1301 and <= 0x1305;

    /// <summary>TLS_EMPTY_RENEGOTIATION_INFO_SCSV, TLS_FALLBACK_SCSV and GREASE values (RFC 8701) name no key exchange.</summary>
    private static bool IsSignalling(ushort suite) => suite is 0x00FF or 0x5600 || (suite & 0x0F0F) == 0x0A0A;

    /// <summary>The ECDHE_ECDSA and ECDH_ECDSA suites (RFC 4492, 5289, 6209, 6367, 7251, 7905).</summary>
    private static bool IsEcdsaSuite(ushort suite) => suite switch
    {
        >= 0xC001 and <= 0xC00A => true,
        0xC023 or 0xC024 or 0xC025 or 0xC026 or 0xC02B or 0xC02C or 0xC02D or 0xC02E => true,
        0xC048 or 0xC049 or 0xC04A or 0xC04B or 0xC05C or 0xC05D or 0xC05E or 0xC05F => true,
        0xC072 or 0xC073 or 0xC074 or 0xC075 or 0xC086 or 0xC087 or 0xC088 or 0xC089 => true,
        >= 0xC0AC and <= 0xC0AF => true,
        0xCCA9 => true,
        _ => false,
    };

    /// <summary>A bounds-checked cursor: every read says whether the bytes were there.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public bool Skip(int count)
        {
            if (_rest.Length < count) return false;
            _rest = _rest[count..];
            return true;
        }

        public bool Byte(out byte value)
        {
            value = 0;
            if (_rest.Length < 1) return false;
            value = _rest[0];
            _rest = _rest[1..];
            return true;
        }

        public bool UInt16(out ushort value)
        {
            value = 0;
            if (_rest.Length < 2) return false;
            value = BinaryPrimitives.ReadUInt16BigEndian(_rest);
            _rest = _rest[2..];
            return true;
        }

        public bool SkipVector8() => Byte(out var length) && Skip(length);

        public bool Vector16(out ReadOnlySpan<byte> value)
        {
            value = default;
            return UInt16(out var length) && Take(length, out value);
        }

        public bool Take(int count, out ReadOnlySpan<byte> value)
        {
            value = default;
            if (_rest.Length < count) return false;
            value = _rest[..count];
            _rest = _rest[count..];
            return true;
        }
    }
}
