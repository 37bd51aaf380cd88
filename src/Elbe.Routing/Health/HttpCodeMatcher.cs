using System.Diagnostics.CodeAnalysis;

namespace Elbe.Routing.Health;

/// <summary>
/// A health check success matcher (Matcher.HttpCode, and the same syntax for Matcher.GrpcCode): a comma
/// separated list of codes and inclusive ranges, e.g. "200", "200,202", "200-299", "200-299,404".
/// </summary>
public sealed class HttpCodeMatcher
{
    public const int MinHttpCode = 100;
    public const int MaxHttpCode = 599;

    // Pairs of inclusive bounds; a list is short enough that a linear scan beats anything cleverer.
    private readonly int[] _bounds;

    private HttpCodeMatcher(int[] bounds, string text)
    {
        _bounds = bounds;
        Text = text;
    }

    public string Text { get; }

    public bool Matches(int code)
    {
        var bounds = _bounds;
        for (int i = 0; i < bounds.Length; i += 2)
            if (code >= bounds[i] && code <= bounds[i + 1]) return true;
        return false;
    }

    public static HttpCodeMatcher Parse(string text) =>
        TryParse(text, out var matcher, out var error) ? matcher : throw new FormatException(error);

    /// <summary>Parses codes within [<paramref name="min"/>, <paramref name="max"/>], e.g. gRPC's 0-99.</summary>
    public static HttpCodeMatcher Parse(string text, int min, int max) =>
        TryParse(text, min, max, out var matcher, out var error) ? matcher : throw new FormatException(error);

    public static bool TryParse(string text, [NotNullWhen(true)] out HttpCodeMatcher? matcher) =>
        TryParse(text, MinHttpCode, MaxHttpCode, out matcher, out _);

    public static bool TryParse(string text, [NotNullWhen(true)] out HttpCodeMatcher? matcher, [NotNullWhen(false)] out string? error) =>
        TryParse(text, MinHttpCode, MaxHttpCode, out matcher, out error);

    /// <param name="min">Lowest allowed code (0 for gRPC).</param>
    /// <param name="max">Highest allowed code (99 for gRPC).</param>
    public static bool TryParse(string text, int min, int max, [NotNullWhen(true)] out HttpCodeMatcher? matcher, [NotNullWhen(false)] out string? error)
    {
        matcher = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "The matcher must not be empty.";
            return false;
        }

        var bounds = new List<int>();
        var rest = text.AsSpan();
        while (true)
        {
            int comma = rest.IndexOf(',');
            var entry = comma < 0 ? rest : rest[..comma];
            int dash = entry.IndexOf('-');
            int low, high;
            if (dash < 0)
            {
                if (!TryParseCode(entry, out low)) return Invalid(text, out error);
                high = low;
            }
            else if (!TryParseCode(entry[..dash], out low) || !TryParseCode(entry[(dash + 1)..], out high) || low > high)
            {
                return Invalid(text, out error);
            }
            if (low < min || high > max)
            {
                error = $"Health check matcher codes must be between {min} and {max}: '{text}'.";
                return false;
            }
            bounds.Add(low);
            bounds.Add(high);
            if (comma < 0) break;
            rest = rest[(comma + 1)..];
        }

        matcher = new HttpCodeMatcher([.. bounds], text);
        error = null;
        return true;
    }

    private static bool TryParseCode(ReadOnlySpan<char> digits, out int code)
    {
        code = 0;
        if (digits.IsEmpty || digits.Length > 3) return false;
        foreach (char c in digits)
        {
            if (c is < '0' or > '9') return false;
            code = code * 10 + (c - '0');
        }
        return true;
    }

    private static bool Invalid(string text, out string error)
    {
        error = $"'{text}' is not a valid matcher; use a code (200), a list (200,202) or a range (200-299).";
        return false;
    }

    public override string ToString() => Text;
}
