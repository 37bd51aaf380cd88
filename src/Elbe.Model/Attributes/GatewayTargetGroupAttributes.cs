using System.Collections.Immutable;
using static Elbe.Model.Attributes.AttributeChecks;

namespace Elbe.Model.Attributes;

/// <summary>GWLB (GENEVE) target group attribute keys.</summary>
public static class GatewayTargetGroupAttributes
{
    public const string FailoverOnDeregistration = "target_failover.on_deregistration";
    public const string FailoverOnUnhealthy = "target_failover.on_unhealthy";

    public static readonly ImmutableArray<AttributeDefinition> Gateway =
    [
        new(TargetGroupAttributes.DeregistrationDelay, "300", IntRange(0, 3600)),
        new(TargetGroupAttributes.StickinessEnabled, "false", Bool),
        new(TargetGroupAttributes.StickinessType, "source_ip_dest_ip_proto", OneOf("source_ip_dest_ip", "source_ip_dest_ip_proto")),
        new(FailoverOnDeregistration, "no_rebalance", OneOf("rebalance", "no_rebalance")),
        new(FailoverOnUnhealthy, "no_rebalance", OneOf("rebalance", "no_rebalance")),
    ];
}
