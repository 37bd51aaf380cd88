using Elbe.Model.Attributes;
using Elbe.Model.Resources;
using Elbe.DataPlane.Health;
using Elbe.Routing.ProtocolVersions;
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
    /// <summary>HTTP1, HTTP2 or GRPC: the HTTP version spoken to targets (fact sheet 1.10) and which requests the group takes.</summary>
    public TargetProtocolVersion ProtocolVersion { get; init; }
    /// <summary>An HTTPS group: TLS to targets, without validating their certificates.</summary>
    public bool TargetsUseTls { get; init; }
    public required HealthCheckSettings HealthCheck { get; init; }
    public required HealthCheckRequest Probe { get; init; }
    public TimeSpan HealthCheckInterval { get; init; }
    /// <summary>NLB proxy_protocol_v2.enabled: TCP health checks open with a LOCAL header too.</summary>
    public bool ProxyProtocolV2 { get; init; }
    /// <summary>
    /// NLB target_health_state.unhealthy.draining_interval_seconds with connection termination off: how long a target
    /// turned unhealthy reads unhealthy.draining, its flows kept, before it reads unhealthy and they are closed. Zero: no such state.
    /// </summary>
    public TimeSpan UnhealthyDrainingInterval { get; init; }

    /// <param name="timeScale">Shrinks health-check and slow-start timings for tests and demos (1 = as configured).</param>
    public static TargetGroupSettings From(TargetGroup group, double timeScale)
    {
        var attributes = new AttributeSet(group.Attributes, TargetGroupAttributes.Application);
        var stickinessType = attributes.Get(TargetGroupAttributes.StickinessType);
        var version = TargetProtocolVersions.Parse(group.ProtocolVersion);
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
            ProtocolVersion = version,
            TargetsUseTls = group.Protocol == "HTTPS",
            HealthCheck = group.HealthCheck,
            Probe = HealthCheckRequest.From(group.HealthCheck, version, TimeSpan.FromSeconds(group.HealthCheck.TimeoutSeconds * timeScale)),
            HealthCheckInterval = TimeSpan.FromSeconds(group.HealthCheck.IntervalSeconds * timeScale),
            ProxyProtocolV2 = group.Attributes.GetValueOrDefault(NetworkTargetGroupAttributes.ProxyProtocolV2) == "true",
            UnhealthyDrainingInterval = TimeSpan.FromSeconds(UnhealthyDrainingSeconds(group) * timeScale),
        };
    }

    private static int UnhealthyDrainingSeconds(TargetGroup group) =>
        group.Attributes.GetValueOrDefault(NetworkTargetGroupAttributes.UnhealthyConnectionTermination) == "false"
        && int.TryParse(group.Attributes.GetValueOrDefault(NetworkTargetGroupAttributes.UnhealthyDrainingInterval), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : 0;

    /// <summary>True when running health checks must restart to follow these settings.</summary>
    /// <remarks>The probe follows from these two; comparing it would compare its matcher by reference.</remarks>
    public bool ChangesHealthChecks(TargetGroupSettings previous) => previous.HealthCheck != HealthCheck || previous.ProtocolVersion != ProtocolVersion;

    /// <summary>True when the selector (balancer, slow start, thresholds, cross-zone) must be rebuilt for these settings.</summary>
    public bool ChangesSelection(TargetGroupSettings? previous) =>
        previous is null || previous.Algorithm != Algorithm || previous.SlowStartMs != SlowStartMs || previous.MinimumHealthy != MinimumHealthy
        || previous.CrossZoneEnabled != CrossZoneEnabled;
}
