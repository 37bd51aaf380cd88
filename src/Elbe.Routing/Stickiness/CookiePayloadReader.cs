using System.Buffers.Binary;
using System.Text;

namespace Elbe.Routing.Stickiness;

/// <summary>Reads what <see cref="CookiePayloadWriter"/> wrote; every method fails softly on short or odd input.</summary>
internal ref struct CookiePayloadReader(ReadOnlySpan<byte> payload)
{
    private readonly ReadOnlySpan<byte> _payload = payload;
    private int _position;

    public readonly bool AtEnd => _position == _payload.Length;

    public bool TryReadHeader(out DateTimeOffset issuedAt)
    {
        issuedAt = default;
        if (_payload.Length < CookiePayloadWriter.HeaderSize || _payload[0] != CookiePayloadWriter.Version) return false;
        long seconds = BinaryPrimitives.ReadInt64BigEndian(_payload[1..]);
        if (seconds < DateTimeOffset.MinValue.ToUnixTimeSeconds() || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()) return false;
        issuedAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        _position = CookiePayloadWriter.HeaderSize;
        return true;
    }

    public bool TryReadString(out string text)
    {
        text = "";
        if (!TryReadUtf8(out var bytes)) return false;
        text = Encoding.UTF8.GetString(bytes);
        return true;
    }

    /// <summary>A string field as its UTF-8 bytes, for readers that compare or copy it without a string.</summary>
    public bool TryReadUtf8(out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if (_payload.Length - _position < 2) return false;
        int length = BinaryPrimitives.ReadUInt16BigEndian(_payload[_position..]);
        if (_payload.Length - _position - 2 < length) return false;
        bytes = _payload.Slice(_position + 2, length);
        _position += 2 + length;
        return true;
    }
}
