using System.Collections.Immutable;

namespace Elbe.Model.Resources;

/// <summary>An ELBv2 load balancer. ALB, NLB and GWLB share the shape; <see cref="Type"/> tells them apart.</summary>
public sealed record LoadBalancer
{
    public required string Arn { get; init; }
    public required string Name { get; init; }
    /// <summary>The 16-hex id that ends the ARN.</summary>
    public required string Id { get; init; }
    public LoadBalancerType Type { get; init; } = LoadBalancerType.Application;
    public string Scheme { get; init; } = "internet-facing";
    public string IpAddressType { get; init; } = "ipv4";
    public string VpcId { get; init; } = Zones.DefaultVpcId;
    public required string DnsName { get; init; }
    public string CanonicalHostedZoneId { get; init; } = "Z35SXDOTRQ7X7K";
    public DateTimeOffset CreatedTime { get; init; } = DateTimeOffset.UnixEpoch;
    /// <summary>One node per enabled subnet, each with the loopback (or mapped) address it listens on.</summary>
    public ImmutableArray<LoadBalancerNode> Nodes { get; init; } = [];
    public ImmutableArray<string> SecurityGroups { get; init; } = [];
    /// <summary>Only the keys a user set; <see cref="Attributes.LoadBalancerAttributes"/> supplies defaults.</summary>
    public ImmutableSortedDictionary<string, string> Attributes { get; init; } = ImmutableSortedDictionary<string, string>.Empty;
    public ImmutableArray<Tag> Tags { get; init; } = [];

    /// <summary>LoadBalancerState.Code. Elbe has nothing to provision, so a load balancer is active from the start.</summary>
    public string State { get; init; } = "active";
    public string? CustomerOwnedIpv4Pool { get; init; }
    /// <summary>"on"/"off"; only NLBs created with security groups have it.</summary>
    public string? EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic { get; init; }
    /// <summary>"on"/"off"; NLB dual-stack UDP source NAT. Null when never set.</summary>
    public string? EnablePrefixForIpv6SourceNat { get; init; }
    /// <summary>IpamPools.Ipv4IpamPoolId; null when none.</summary>
    public string? Ipv4IpamPoolId { get; init; }
    /// <summary>The capacity reservation (MinimumLoadBalancerCapacity.CapacityUnits); stored and echoed, no data plane meaning.</summary>
    public CapacityReservation? CapacityReservation { get; init; }
}

public sealed record CapacityReservation
{
    public int? CapacityUnits { get; init; }
    public DateTimeOffset LastModifiedTime { get; init; }
    public int DecreaseRequestsRemaining { get; init; } = CapacityReservation.DailyDecreaseRequests;

    public const int DailyDecreaseRequests = 4;
}

public enum LoadBalancerType { Application, Network, Gateway }

public sealed record LoadBalancerNode(string SubnetId, string ZoneName, string IpAddress);

public sealed record Tag(string Key, string Value);
