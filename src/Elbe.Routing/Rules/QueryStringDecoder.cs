using System.Text;

namespace Elbe.Routing.Rules;

/// <summary>
/// Form-style decoding of one query-string key or value: <c>%XX</c> becomes that byte, <c>+</c> becomes a space,
/// and the bytes are read as UTF-8. A <c>%</c> not followed by two hex digits is kept as it is.
/// </summary>
/// <remarks>
/// AWS does not say whether query-string conditions see decoded text. We decode, because the same query can be
/// written <c>a%20b</c>, <c>a+b</c> or with different hex case by different clients and a rule written as
/// <c>a b</c> should treat them alike. Condition values themselves are not decoded.
/// </remarks>
public static class QueryStringDecoder
{
    /// <summary>Largest encoded key or value decoded on the stack; longer ones borrow from the array pool.</summary>
    public const int StackLimit = 256;

    /// <summary>True when <paramref name="encoded"/> needs decoding at all (the common case is that it does not).</summary>
    public static bool NeedsDecoding(ReadOnlySpan<char> encoded) => encoded.IndexOfAny('%', '+') >= 0;

    /// <summary>
    /// Decodes into <paramref name="destination"/> (at least <c>encoded.Length</c> chars) and returns the number of
    /// chars written. <paramref name="scratch"/> needs at least <c>encoded.Length</c> bytes.
    /// </summary>
    public static int Decode(ReadOnlySpan<char> encoded, Span<byte> scratch, Span<char> destination)
    {
        var n = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (c == '+')
            {
                scratch[n++] = (byte)' ';
            }
            else if (c == '%' && i + 2 < encoded.Length && IsHex(encoded[i + 1]) && IsHex(encoded[i + 2]))
            {
                scratch[n++] = (byte)((HexValue(encoded[i + 1]) << 4) | HexValue(encoded[i + 2]));
                i += 2;
            }
            else if (c < 0x80)
            {
                scratch[n++] = (byte)c;
            }
            else
            {
                // A raw non-ASCII char is not legal in a query on the wire; 0xFF is never valid UTF-8, so it decodes
                // to U+FFFD and can only be matched by a wildcard.
                scratch[n++] = 0xFF;
            }
        }
        return Encoding.UTF8.GetChars(scratch[..n], destination);
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
