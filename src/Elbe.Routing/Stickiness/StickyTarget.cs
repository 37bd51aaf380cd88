namespace Elbe.Routing.Stickiness;

/// <summary>What an AWSALB or AWSALBAPP cookie says: stick to this target ("address:port") of this target group.</summary>
/// <param name="AppCookieName">The application cookie the session follows; null for lb_cookie stickiness.</param>
public readonly record struct StickyTarget(string TargetGroupId, string Endpoint, DateTimeOffset IssuedAt, string? AppCookieName = null);
