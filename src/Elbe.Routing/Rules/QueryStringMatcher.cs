using System.Buffers;
using Elbe.Model.Resources;

namespace Elbe.Routing.Rules;

/// <summary>
/// query-string: the raw query is split on <c>&amp;</c> into pairs and each pair on its first <c>=</c>. A
/// condition pair matches when its value pattern matches the pair's value and, if it names a key, its key
/// pattern matches the pair's key. Keys and values are percent-decoded first (see <see cref="QueryStringDecoder"/>);
/// comparison is case-insensitive, <c>*</c>/<c>?</c> are wildcards and <c>\*</c>/<c>\?</c> are literals.
/// </summary>
/// <remarks>
/// A segment without <c>=</c> (<c>?debug</c>) is taken as a value with no key: only condition pairs that omit
/// the key can match it. Empty segments (<c>a=1&amp;&amp;b=2</c>) are skipped.
/// </remarks>
public sealed class QueryStringMatcher : IConditionMatcher
{
    private readonly (WildcardPattern? Key, WildcardPattern Value)[] _pairs;

    public QueryStringMatcher(IEnumerable<QueryStringPair> pairs)
    {
        _pairs = [.. pairs.Select(p => (
            p.Key is null ? null : WildcardPattern.Compile(p.Key, ignoreCase: true, allowEscapes: true),
            WildcardPattern.Compile(p.Value, ignoreCase: true, allowEscapes: true)))];
    }

    public bool Matches(in RoutingRequest request)
    {
        var rest = request.QueryString.Span;
        while (!rest.IsEmpty)
        {
            var amp = rest.IndexOf('&');
            var segment = amp < 0 ? rest : rest[..amp];
            rest = amp < 0 ? [] : rest[(amp + 1)..];
            if (segment.IsEmpty) continue;

            var eq = segment.IndexOf('=');
            var hasKey = eq >= 0;
            var key = hasKey ? segment[..eq] : [];
            var value = hasKey ? segment[(eq + 1)..] : segment;
            if (SegmentMatches(key, hasKey, value)) return true;
        }
        return false;
    }

    private bool SegmentMatches(ReadOnlySpan<char> rawKey, bool hasKey, ReadOnlySpan<char> rawValue)
    {
        var length = rawKey.Length + rawValue.Length;
        byte[]? rentedBytes = null;
        char[]? rentedChars = null;
        var scratch = length <= QueryStringDecoder.StackLimit
            ? stackalloc byte[QueryStringDecoder.StackLimit]
            : (rentedBytes = ArrayPool<byte>.Shared.Rent(length));
        var decoded = length <= QueryStringDecoder.StackLimit
            ? stackalloc char[QueryStringDecoder.StackLimit]
            : (rentedChars = ArrayPool<char>.Shared.Rent(length));
        try
        {
            scoped ReadOnlySpan<char> key = rawKey;
            if (QueryStringDecoder.NeedsDecoding(rawKey))
            {
                var n = QueryStringDecoder.Decode(rawKey, scratch, decoded);
                key = decoded[..n];
                decoded = decoded[n..];
            }
            scoped ReadOnlySpan<char> value = rawValue;
            if (QueryStringDecoder.NeedsDecoding(rawValue))
            {
                var n = QueryStringDecoder.Decode(rawValue, scratch, decoded);
                value = decoded[..n];
            }

            foreach (var (keyPattern, valuePattern) in _pairs)
            {
                if (keyPattern is not null && (!hasKey || !keyPattern.IsMatch(key))) continue;
                if (valuePattern.IsMatch(value)) return true;
            }
            return false;
        }
        finally
        {
            if (rentedBytes is not null) ArrayPool<byte>.Shared.Return(rentedBytes);
            if (rentedChars is not null) ArrayPool<char>.Shared.Return(rentedChars);
        }
    }
}
