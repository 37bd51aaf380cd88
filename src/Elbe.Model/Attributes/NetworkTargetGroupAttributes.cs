using System.Collections.Immutable;
using static Elbe.Model.Attributes.AttributeChecks;

namespace Elbe.Model.Attributes;

/// <summary>NLB target group attribute keys. Some defaults depend on the group's protocol and target type.</summary>
public static class NetworkTargetGroupAttributes
{
    public const string ConnectionTermination = "deregistration_delay.connection_termination.enabled";
    public const string PreserveClientIp = "preserve_client_ip.enabled";
    public const string ProxyProtocolV2 = "proxy_protocol_v2.enabled";
    public const string UnhealthyConnectionTermination = "target_health_state.unhealthy.connection_termination.enabled";
    public const string UnhealthyDrainingInterval = "target_health_state.unhealthy.draining_interval_seconds";

    public static ImmutableArray<AttributeDefinition> For(string? protocol, string targetType)
    {
        var datagram = protocol is "UDP" or "TCP_UDP";
        // Client IP preservation is off by default only where the target sees a new TCP connection from the node.
        var preserveDefault = targetType == "ip" && protocol is "TCP" or "TLS" ? "false" : "true";
        return
        [
            new(ConnectionTermination, datagram ? "true" : "false", Bool),
            new(TargetGroupAttributes.DeregistrationDelay, "300", IntRange(0, 3600)),
            new(TargetGroupAttributes.CrossZone, "use_load_balancer_configuration", OneOf("true", "false", "use_load_balancer_configuration")),
            new(PreserveClientIp, preserveDefault, datagram ? OneOf("true") : Bool),
            new(ProxyProtocolV2, "false", Bool),
            new(TargetGroupAttributes.StickinessEnabled, "false", Bool),
            new(TargetGroupAttributes.StickinessType, "source_ip", OneOf("source_ip")),
            new("target_group_health.dns_failover.minimum_healthy_targets.count", "1", v => v == "off" || IntRange(1, 1000)(v) is null ? null : "must be off or an integer from 1"),
            new("target_group_health.dns_failover.minimum_healthy_targets.percentage", "off", v => v == "off" || IntRange(1, 100)(v) is null ? null : "must be off or an integer from 1 to 100"),
            new("target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "1", IntRange(1, 1000)),
            new("target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "off", v => v == "off" || IntRange(1, 100)(v) is null ? null : "must be off or an integer from 1 to 100"),
            new(UnhealthyConnectionTermination, "true", datagram ? OneOf("false", "true") : Bool),
            new(UnhealthyDrainingInterval, "0", IntRange(0, 360000)),
        ];
    }
}
