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
}

public enum LoadBalancerType { Application, Network, Gateway }

public sealed record LoadBalancerNode(string SubnetId, string ZoneName, string IpAddress);

public sealed record Tag(string Key, string Value);
