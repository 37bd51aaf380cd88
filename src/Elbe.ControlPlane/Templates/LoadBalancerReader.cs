using System.Collections.Immutable;
using Elbe.ControlPlane.Nodes;
using Elbe.Model.Identifiers;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Templates;

/// <summary>AWS::ElasticLoadBalancingV2::LoadBalancer properties to a <see cref="LoadBalancer"/> (nodes come later, from the allocator).</summary>
internal static class LoadBalancerReader
{
    private static readonly string[] Allowed =
        ["Name", "Type", "Scheme", "IpAddressType", "Subnets", "SubnetMappings", "SecurityGroups", "LoadBalancerAttributes", "Tags"];
    private static readonly string[] Ignored =
        ["EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic", "EnablePrefixForIpv6SourceNat", "Ipv4IpamPoolId", "MinimumLoadBalancerCapacity", "EnableCapacityReservationProvisionStabilize"];
    private static readonly string[] MappingKeys = ["SubnetId", "AllocationId", "PrivateIPv4Address", "IPv6Address", "SourceNatIpv6Prefix"];

    public static (LoadBalancer LoadBalancer, NodeAllocationRequest Nodes) Read(
        StackResource resource, TemplateMap properties, ResourceIdentity identity, TemplateDiagnostics diagnostics, TemplateLoadContext context)
    {
        var p = new PropertyReader(properties, diagnostics, resource.LogicalId, resource.Type, Allowed, Ignored);
        p.String("Name");
        var scheme = p.String("Scheme") ?? "internet-facing";

        var placements = new List<NodePlacement>();
        var subnets = p.Strings("Subnets");
        for (var i = 0; i < subnets.Length; i++) placements.Add(new NodePlacement(subnets[i], null, $"Subnets[{i}]"));
        var mappings = p.Objects("SubnetMappings", "SubnetMapping", MappingKeys);
        for (var i = 0; i < mappings.Count; i++)
        {
            var subnetId = mappings[i].String("SubnetId", required: true);
            var address = mappings[i].String("PrivateIPv4Address");
            if (subnetId is not null)
                placements.Add(new NodePlacement(subnetId, address, address is null ? $"SubnetMappings[{i}].SubnetId" : $"SubnetMappings[{i}].PrivateIPv4Address"));
        }
        if (subnets.Length > 0 && mappings.Count > 0)
            diagnostics.Report(properties.Location, resource.LogicalId, properties.Path, "Specify either Subnets or SubnetMappings, not both.");
        // Without either, a local load balancer simply spans every configured subnet.
        if (p.Raw("Subnets") is null && p.Raw("SubnetMappings") is null)
            placements.AddRange(context.EffectiveSubnets.Select((s, i) => new NodePlacement(s.SubnetId, null, "Subnets")));

        var lb = new LoadBalancer
        {
            Arn = identity.Arn,
            Name = identity.Name,
            Id = identity.Id,
            Type = identity.LoadBalancerType,
            Scheme = scheme,
            IpAddressType = p.String("IpAddressType") ?? "ipv4",
            DnsName = Arns.DnsName(identity.LoadBalancerType, scheme, identity.Name, identity.Id, context.Region),
            CanonicalHostedZoneId = HostedZones.For(identity.LoadBalancerType, context.Region),
            SecurityGroups = p.Strings("SecurityGroups"),
            Attributes = AttributeMap(p, "LoadBalancerAttributes", diagnostics),
            Tags = Tags(p),
        };
        return (lb, new NodeAllocationRequest(identity.Arn, placements));
    }

    public static ImmutableSortedDictionary<string, string> AttributeMap(PropertyReader p, string key, TemplateDiagnostics diagnostics)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (k, v, item) in p.KeyValues(key, "an attribute"))
        {
            if (!builder.TryAdd(k, v))
                diagnostics.Report(item.Location, p.LogicalId, item.Path, $"Attribute '{k}' is given more than once.");
        }
        return builder.ToImmutable();
    }

    public static ImmutableArray<Tag> Tags(PropertyReader p) => [.. p.KeyValues("Tags", "a tag").Select(t => new Tag(t.Key, t.Value))];
}
