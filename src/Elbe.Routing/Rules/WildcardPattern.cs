namespace Elbe.Routing.Rules;

/// <summary>
/// An ALB condition pattern compiled once: <c>*</c> is any run of characters (possibly empty), <c>?</c> is
/// exactly one character, and the pattern must cover the whole value. Matching never allocates and never
/// uses Regex, so it is safe on the request hot path.
/// </summary>
/// <remarks>
/// Only ASCII letters fold when <see cref="IgnoreCase"/> is set: ALB compares hosts, headers and query
/// strings case-insensitively, but its rules are defined over visible ASCII, so a culture-aware fold would
/// match things ALB does not. A value containing a control character (0x00-0x1F, 0x7F) never matches,
/// because ALB's matching only considers visible ASCII and no pattern character can stand for one.
/// </remarks>
public sealed class WildcardPattern
{
    private const char AnyRun = '*';
    private const char AnyOne = '?';

    // Parallel arrays: the literal character (already lower-cased when ignoring case) and whether the slot is
    // a wildcard. Keeping escapes resolved here means the matcher never has to look at backslashes.
    private readonly char[] _chars;
    private readonly bool[] _isWildcard;
    private readonly int _minimumLength;
    private readonly bool _hasRun;

    private WildcardPattern(string source, bool ignoreCase, char[] chars, bool[] isWildcard)
    {
        Source = source;
        IgnoreCase = ignoreCase;
        _chars = chars;
        _isWildcard = isWildcard;
        for (var i = 0; i < chars.Length; i++)
        {
            if (isWildcard[i] && chars[i] == AnyRun) _hasRun = true;
            else _minimumLength++;
        }
    }

    /// <summary>The pattern as configured.</summary>
    public string Source { get; }

    public bool IgnoreCase { get; }

    /// <summary>Wildcard characters that are not escaped; ALB limits these to 5 per rule.</summary>
    public int WildcardCount
    {
        get
        {
            var n = 0;
            foreach (var w in _isWildcard) if (w) n++;
            return n;
        }
    }

    /// <param name="pattern">The condition value.</param>
    /// <param name="ignoreCase">Fold ASCII letters on both sides.</param>
    /// <param name="allowEscapes">
    /// Treat <c>\*</c> and <c>\?</c> as the literal characters (query-string conditions); any other backslash
    /// stays a literal backslash.
    /// </param>
    public static WildcardPattern Compile(string pattern, bool ignoreCase, bool allowEscapes = false)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var chars = new List<char>(pattern.Length);
        var wild = new List<bool>(pattern.Length);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (allowEscapes && c == '\\' && i + 1 < pattern.Length && pattern[i + 1] is AnyRun or AnyOne)
            {
                chars.Add(pattern[++i]);
                wild.Add(false);
                continue;
            }
            if (c == AnyRun)
            {
                // "**" means the same as "*"; collapsing keeps the backtracking state to a single star.
                if (wild.Count > 0 && wild[^1] && chars[^1] == AnyRun) continue;
                chars.Add(AnyRun);
                wild.Add(true);
                continue;
            }
            if (c == AnyOne)
            {
                chars.Add(AnyOne);
                wild.Add(true);
                continue;
            }
            chars.Add(ignoreCase ? ToLowerAscii(c) : c);
            wild.Add(false);
        }
        return new WildcardPattern(pattern, ignoreCase, [.. chars], [.. wild]);
    }

    /// <summary>True when the pattern covers all of <paramref name="value"/>.</summary>
    public bool IsMatch(ReadOnlySpan<char> value)
    {
        if (value.Length < _minimumLength || (!_hasRun && value.Length != _minimumLength)) return false;

        var chars = _chars;
        var wild = _isWildcard;
        int p = 0, v = 0;
        // Where the last '*' was seen and the value position it currently swallows up to. Retrying only from the
        // most recent star is enough for '*'/'?' patterns and keeps the worst case at O(pattern * value).
        int starP = -1, starV = 0;

        while (v < value.Length)
        {
            var c = value[v];
            if (IsControl(c)) return false;

            if (p < chars.Length)
            {
                if (wild[p])
                {
                    if (chars[p] == AnyRun)
                    {
                        starP = p++;
                        starV = v;
                        continue;
                    }
                    p++;
                    v++;
                    continue;
                }
                if (chars[p] == (IgnoreCase ? ToLowerAscii(c) : c))
                {
                    p++;
                    v++;
                    continue;
                }
            }

            if (starP < 0) return false;
            p = starP + 1;
            v = ++starV;
        }

        while (p < chars.Length && wild[p] && chars[p] == AnyRun) p++;
        return p == chars.Length;
    }

    public override string ToString() => Source;

    private static bool IsControl(char c) => c < 0x20 || c == 0x7F;

    private static char ToLowerAscii(char c) => (uint)(c - 'A') <= 'Z' - 'A' ? (char)(c | 0x20) : c;
}
