using System.Globalization;

namespace Elbe.Routing.Stickiness;

/// <summary>
/// The Expires attribute ALB puts on its stickiness cookies: seven days from now, RFC 1123 in GMT. The text
/// only changes once a second, so the last one is cached for the per-response path.
/// </summary>
internal static class CookieExpiry
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    private sealed record Formatted(long UnixSecond, string Text);

    private static Formatted s_last = new(long.MinValue, "");

    public static string For(DateTimeOffset now)
    {
        long second = now.ToUnixTimeSeconds();
        var last = Volatile.Read(ref s_last);
        if (last.UnixSecond == second) return last.Text;
        var text = DateTimeOffset.FromUnixTimeSeconds(second).Add(Lifetime).ToString("r", CultureInfo.InvariantCulture);
        Volatile.Write(ref s_last, new Formatted(second, text));
        return text;
    }
}
