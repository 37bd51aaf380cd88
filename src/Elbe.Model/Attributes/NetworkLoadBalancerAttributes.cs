using System.Collections.Immutable;
using static Elbe.Model.Attributes.AttributeChecks;

namespace Elbe.Model.Attributes;

/// <summary>NLB load balancer attribute keys, defaults and valid values.</summary>
public static class NetworkLoadBalancerAttributes
{
    public const string SecondaryIpsPerSubnet = "secondary_ips.auto_assigned.per_subnet";
    public const string Ipv6DenyAllIgwTraffic = "ipv6.deny_all_igw_traffic";

    public static readonly ImmutableArray<AttributeDefinition> Network =
    [
        new("access_logs.s3.enabled", "false", Bool),
        new("access_logs.s3.bucket", "", Any),
        new("access_logs.s3.prefix", "", Any),
        new("deletion_protection.enabled", "false", Bool),
        new("dns_record.client_routing_policy", "any_availability_zone",
            OneOf("availability_zone_affinity", "partial_availability_zone_affinity", "any_availability_zone")),
        new(Ipv6DenyAllIgwTraffic, "false", Bool),
        new("load_balancing.cross_zone.enabled", "false", Bool),
        new(SecondaryIpsPerSubnet, "0", IntRange(0, 7)),
        new("zonal_shift.config.enabled", "false", Bool),
    ];
}
