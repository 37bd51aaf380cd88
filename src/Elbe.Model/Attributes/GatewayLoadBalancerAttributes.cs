using System.Collections.Immutable;
using static Elbe.Model.Attributes.AttributeChecks;

namespace Elbe.Model.Attributes;

/// <summary>GWLB load balancer attribute keys, defaults and valid values.</summary>
public static class GatewayLoadBalancerAttributes
{
    public static readonly ImmutableArray<AttributeDefinition> Gateway =
    [
        new("deletion_protection.enabled", "false", Bool),
        new("load_balancing.cross_zone.enabled", "false", Bool),
    ];
}
