namespace Elbe.Routing.Stickiness;

/// <summary>
/// Chromium 80 started treating cookies without SameSite as Lax, so ALB marks AWSALBAPP cookies
/// SameSite=None; Secure only for those browsers; older browsers reject SameSite=None outright.
/// </summary>
public static class ChromiumUserAgent
{
    public static bool NeedsSameSiteNone(ReadOnlySpan<char> userAgent) =>
        MajorVersionAfter(userAgent, "Chrome/") >= 80 || MajorVersionAfter(userAgent, "Chromium/") >= 80;

    private static int MajorVersionAfter(ReadOnlySpan<char> userAgent, string token)
    {
        int at = userAgent.IndexOf(token, StringComparison.Ordinal);
        if (at < 0) return -1;
        int version = 0, digits = 0;
        foreach (char c in userAgent[(at + token.Length)..])
        {
            if (c is < '0' or > '9' || digits == 6) break;
            version = version * 10 + (c - '0');
            digits++;
        }
        return digits == 0 ? -1 : version;
    }
}
