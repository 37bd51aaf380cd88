namespace Elbe.Routing.Stickiness;

/// <summary>
/// Set-Cookie header values as ALB sends them for its stickiness cookies: Expires seven days out (never
/// Max-Age), Path=/, no Domain or HttpOnly; the CORS twins add SameSite=None; Secure so cross-site requests
/// keep stickiness.
/// </summary>
public static class StickinessSetCookie
{
    private const string CrossSiteAttributes = "; SameSite=None; Secure";

    public static string Lb(string value, DateTimeOffset now) => Build(StickinessCookieNames.Lb, value, now, crossSite: false);

    public static string LbCors(string value, DateTimeOffset now) => Build(StickinessCookieNames.LbCors, value, now, crossSite: true);

    public static string TargetGroup(string value, DateTimeOffset now) => Build(StickinessCookieNames.TargetGroup, value, now, crossSite: false);

    public static string TargetGroupCors(string value, DateTimeOffset now) => Build(StickinessCookieNames.TargetGroupCors, value, now, crossSite: true);

    /// <param name="shard">0-3, the n of AWSALBAPP-n.</param>
    /// <param name="sameSiteNone">ALB adds SameSite=None; Secure only for Chromium 80+ user agents (see <see cref="ChromiumUserAgent"/>).</param>
    public static string App(int shard, ReadOnlySpan<char> value, DateTimeOffset now, bool sameSiteNone) =>
        Build(StickinessCookieNames.AppShards[shard], value, now, sameSiteNone);

    private static string Build(string name, ReadOnlySpan<char> value, DateTimeOffset now, bool crossSite)
    {
        string expires = CookieExpiry.For(now);
        string tail = crossSite ? CrossSiteAttributes : "";
        int length = name.Length + 1 + value.Length + ExpiresPrefix.Length + expires.Length + PathAttribute.Length + tail.Length;
        // One allocation, the header string itself: this runs on every sticky response.
        Span<char> text = length <= 1024 ? stackalloc char[length] : new char[length];
        int at = 0;
        Append(text, ref at, name);
        text[at++] = '=';
        Append(text, ref at, value);
        Append(text, ref at, ExpiresPrefix);
        Append(text, ref at, expires);
        Append(text, ref at, PathAttribute);
        Append(text, ref at, tail);
        return new string(text);
    }

    private const string ExpiresPrefix = "; Expires=";
    private const string PathAttribute = "; Path=/";

    private static void Append(Span<char> text, ref int at, ReadOnlySpan<char> part)
    {
        part.CopyTo(text[at..]);
        at += part.Length;
    }
}
