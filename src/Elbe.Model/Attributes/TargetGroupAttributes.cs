using System.Collections.Immutable;
using static Elbe.Model.Attributes.AttributeChecks;

namespace Elbe.Model.Attributes;

/// <summary>ALB target group attribute keys, defaults and valid values (instance and ip target types).</summary>
public static class TargetGroupAttributes
{
    public const string DeregistrationDelay = "deregistration_delay.timeout_seconds";
    public const string StickinessEnabled = "stickiness.enabled";
    public const string StickinessType = "stickiness.type";
    public const string LbCookieDuration = "stickiness.lb_cookie.duration_seconds";
    public const string AppCookieName = "stickiness.app_cookie.cookie_name";
    public const string AppCookieDuration = "stickiness.app_cookie.duration_seconds";
    public const string Algorithm = "load_balancing.algorithm.type";
    public const string SlowStart = "slow_start.duration_seconds";
    public const string CrossZone = "load_balancing.cross_zone.enabled";

    public static readonly ImmutableArray<AttributeDefinition> Application =
    [
        new("deregistration_delay.timeout_seconds", "300", IntRange(0, 3600)),
        new("load_balancing.algorithm.anomaly_mitigation", "off", OneOf("on", "off")),
        new("load_balancing.algorithm.type", "round_robin", OneOf("round_robin", "least_outstanding_requests", "weighted_random")),
        new("load_balancing.cross_zone.enabled", "use_load_balancer_configuration", OneOf("true", "false", "use_load_balancer_configuration")),
        new("slow_start.duration_seconds", "0", v => IntRange(0, 900)(v) is null && v is not ("1" or "2") && (v == "0" || int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) >= 30) ? null : "must be 0 or an integer from 30 to 900"),
        new("stickiness.app_cookie.cookie_name", "", v => v.StartsWith("AWSALB", StringComparison.Ordinal) ? "must not start with AWSALB, AWSALBAPP or AWSALBTG" : null),
        new("stickiness.app_cookie.duration_seconds", "86400", IntRange(1, 604800)),
        new("stickiness.enabled", "false", Bool),
        new("stickiness.lb_cookie.duration_seconds", "86400", IntRange(1, 604800)),
        new("stickiness.type", "lb_cookie", OneOf("lb_cookie", "app_cookie")),
        new("target_group_health.dns_failover.minimum_healthy_targets.count", "1", v => v == "off" || IntRange(1, 1000)(v) is null ? null : "must be off or an integer from 1"),
        new("target_group_health.dns_failover.minimum_healthy_targets.percentage", "off", v => v == "off" || IntRange(1, 100)(v) is null ? null : "must be off or an integer from 1 to 100"),
        new("target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "1", IntRange(1, 1000)),
        new("target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "off", v => v == "off" || IntRange(1, 100)(v) is null ? null : "must be off or an integer from 1 to 100"),
    ];
}
