using Microsoft.AspNetCore.Http;

namespace Elbe.DataPlane.Stickiness;

/// <summary>
/// Finds a stickiness cookie in the request's Cookie header without parsing every cookie into
/// <see cref="HttpRequest.Cookies"/> (a collection and a string per cookie, on every sticky request). Only a plain
/// header is read this way: one Cookie line of name=value pairs joined by "; ", no quotes, no escapes, neither
/// name repeated or empty. Anything else goes through ASP.NET's parser, so the answer is always the one Request.Cookies gives.
/// </summary>
public static class CookieHeaderLookup
{
    /// <summary>As <c>request.Cookies[preferred] ?? request.Cookies[other]</c>: false when neither is present.</summary>
    public static bool TryGetFirst(HttpRequest request, string preferred, string other, out ReadOnlySpan<char> value)
    {
        var header = request.Headers.Cookie;
        value = default;
        if (header.Count == 0) return false;
        if (header.Count == 1 && header[0] is { } line && TryScanPlain(line, preferred, other, out var preferredAt, out var otherAt))
        {
            var (start, length) = preferredAt.Length >= 0 ? preferredAt : otherAt;
            if (length < 0) return false;
            value = line.AsSpan(start, length);
            return true;
        }
        var cookies = request.Cookies;
        var found = cookies[preferred] ?? cookies[other];
        value = found;
        return found is not null;
    }

    /// <summary>
    /// Where the two names' values are in a plain header (length -1: absent); false when the header is not plain,
    /// so only ASP.NET's parser can say what it holds.
    /// </summary>
    private static bool TryScanPlain(string line, string preferred, string other, out (int Start, int Length) preferredAt, out (int Start, int Length) otherAt)
    {
        preferredAt = (0, -1);
        otherAt = (0, -1);
        var text = line.AsSpan();
        var position = 0;
        while (true)
        {
            var end = text[position..].IndexOf(';');
            var pair = end < 0 ? text[position..] : text.Slice(position, end);
            var equals = pair.IndexOf('=');
            if (equals <= 0 || !IsPlainName(pair[..equals]) || !IsPlainValue(pair[(equals + 1)..])) return false;
            var name = pair[..equals];
            var valueAt = (position + equals + 1, pair.Length - equals - 1);
            var isPreferred = name.Equals(preferred, StringComparison.OrdinalIgnoreCase);
            var isOther = !isPreferred && name.Equals(other, StringComparison.OrdinalIgnoreCase);
            // ASP.NET drops a cookie with an empty value; that rare case is left to it, as is a repeated name.
            if ((isPreferred || isOther) && valueAt.Item2 == 0) return false;
            if (isPreferred)
            {
                if (preferredAt.Length >= 0) return false;
                preferredAt = valueAt;
            }
            else if (isOther)
            {
                if (otherAt.Length >= 0) return false;
                otherAt = valueAt;
            }
            if (end < 0) return true;
            position += end + 1;
            // Exactly "; " between pairs; other spacing, or a trailing separator, is left to ASP.NET.
            if (position >= text.Length - 1 || text[position] != ' ') return false;
            position++;
        }
    }

    // The names cookies usually have; rarer token characters (and '%', which ASP.NET unescapes) take the slow path.
    private static bool IsPlainName(ReadOnlySpan<char> name)
    {
        foreach (var c in name)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                return false;
        return true;
    }

    // RFC 6265 cookie-octets (no quotes, comma, semicolon, backslash, space or controls), without '%'.
    private static bool IsPlainValue(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
            if (c is <= ' ' or > '~' or '"' or ',' or ';' or '\\' or '%')
                return false;
        return true;
    }
}
