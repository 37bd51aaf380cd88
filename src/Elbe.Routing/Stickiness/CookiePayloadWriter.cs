using System.Buffers.Binary;
using System.Text;

namespace Elbe.Routing.Stickiness;

/// <summary>
/// Lays out the plaintext of a stickiness cookie: a version byte, the issue time in Unix seconds, then
/// length-prefixed UTF-8 strings. Writes into a caller's (usually stack) buffer.
/// </summary>
internal ref struct CookiePayloadWriter(Span<byte> buffer)
{
    public const byte Version = 1;

    private readonly Span<byte> _buffer = buffer;
    private int _position;

    public readonly ReadOnlySpan<byte> Written => _buffer[.._position];

    public static int SizeOf(string text) => 2 + Encoding.UTF8.GetByteCount(text);

    public const int HeaderSize = 1 + 8;

    public void WriteHeader(DateTimeOffset issuedAt)
    {
        _buffer[_position++] = Version;
        BinaryPrimitives.WriteInt64BigEndian(_buffer[_position..], issuedAt.ToUnixTimeSeconds());
        _position += 8;
    }

    public void WriteString(string text)
    {
        int length = Encoding.UTF8.GetBytes(text, _buffer[(_position + 2)..]);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[_position..], checked((ushort)length));
        _position += 2 + length;
    }
}
