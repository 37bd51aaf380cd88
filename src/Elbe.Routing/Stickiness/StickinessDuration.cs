namespace Elbe.Routing.Stickiness;

/// <summary>
/// The stickiness duration is enforced from the issue time sealed inside the cookie, not from the cookie's
/// Expires attribute, which is always seven days out.
/// </summary>
internal static class StickinessDuration
{
    // Nodes' clocks may disagree a little; a cookie "from the future" beyond this is treated as forged.
    private static readonly TimeSpan AllowedClockSkew = TimeSpan.FromMinutes(5);

    public static bool IsLive(DateTimeOffset issuedAt, DateTimeOffset now, TimeSpan duration)
    {
        var age = now - issuedAt;
        return age < duration && age > -AllowedClockSkew;
    }
}
