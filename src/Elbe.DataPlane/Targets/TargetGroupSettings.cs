using Elbe.Model.Attributes;
using Elbe.Model.Resources;
using Elbe.Routing.Health;
using Elbe.Routing.Targets;

namespace Elbe.DataPlane.Targets;

/// <summary>A target group's attributes and health-check settings, parsed once per configuration.</summary>
public sealed record TargetGroupSettings
{
    public required string Algorithm { get; init; }
    public long SlowStartMs { get; init; }
    public MinimumHealthyTargets MinimumHealthy { get; init; } = MinimumHealthyTargets.Default;
    /// <summary>False only when the group sets load_balancing.cross_zone.enabled=false: an ALB's own setting is always on.</summary>
    public bool CrossZoneEnabled { get; init; } = true;
    public bool StickinessEnabled { get; init; }
    public string StickinessType { get; init; } = "lb_cookie";
    public TimeSpan StickinessDuration { get; init; }
    public string AppCookieName { get; init; } = "";
    public TimeSpan DeregistrationDelay { get; init; }
    public required HealthCheckSettings HealthCheck { get; init; }
    public required HttpCodeMatcher Matcher { get; init; }
    public TimeSpan HealthCheckInterval { get; init; }
    public TimeSpan HealthCheckTimeout { get; init; }
    /// <summary>NLB proxy_protocol_v2.enabled: TCP health checks open with a LOCAL header too.</summary>
    public bool ProxyProtocolV2 { get; init; }

    /// <param name="timeScale">Shrinks health-check and slow-start timings for tests and demos (1 = as configured).</param>
    public static TargetGroupSettings From(TargetGroup group, double timeScale)
    {
        var attributes = new AttributeSet(group.Attributes, TargetGroupAttributes.Application);
        var stickinessType = attributes.Get(TargetGroupAttributes.StickinessType);
        return new TargetGroupSettings
        {
            Algorithm = attributes.Get(TargetGroupAttributes.Algorithm),
            SlowStartMs = (long)(attributes.GetInt(TargetGroupAttributes.SlowStart) * 1000 * timeScale),
            MinimumHealthy = MinimumHealthyTargets.FromAttributes(attributes),
            CrossZoneEnabled = attributes.Get(TargetGroupAttributes.CrossZone) != "false",
            StickinessEnabled = attributes.GetBool(TargetGroupAttributes.StickinessEnabled),
            StickinessType = stickinessType,
            StickinessDuration = TimeSpan.FromSeconds(attributes.GetInt(stickinessType == "app_cookie" ? TargetGroupAttributes.AppCookieDuration : TargetGroupAttributes.LbCookieDuration)),
            AppCookieName = attributes.Get(TargetGroupAttributes.AppCookieName),
            DeregistrationDelay = TimeSpan.FromSeconds(attributes.GetInt(TargetGroupAttributes.DeregistrationDelay)),
            HealthCheck = group.HealthCheck,
            Matcher = HttpCodeMatcher.TryParse(group.HealthCheck.MatcherHttpCode, out var matcher) ? matcher : HttpCodeMatcher.Parse("200"),
            HealthCheckInterval = TimeSpan.FromSeconds(group.HealthCheck.IntervalSeconds * timeScale),
            HealthCheckTimeout = TimeSpan.FromSeconds(group.HealthCheck.TimeoutSeconds * timeScale),
            ProxyProtocolV2 = group.Attributes.GetValueOrDefault(NetworkTargetGroupAttributes.ProxyProtocolV2) == "true",
        };
    }

    /// <summary>True when the selector (balancer, slow start, thresholds, cross-zone) must be rebuilt for these settings.</summary>
    public bool ChangesSelection(TargetGroupSettings? previous) =>
        previous is null || previous.Algorithm != Algorithm || previous.SlowStartMs != SlowStartMs || previous.MinimumHealthy != MinimumHealthy
        || previous.CrossZoneEnabled != CrossZoneEnabled;
}
