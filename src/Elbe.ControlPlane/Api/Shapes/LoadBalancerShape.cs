using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Api.Shapes;

/// <summary>The ELBv2 <c>LoadBalancer</c> and <c>AvailabilityZone</c> shapes as DescribeLoadBalancers answers them.</summary>
public static class LoadBalancerShape
{
    public static string TypeName(LoadBalancerType type) => type switch
    {
        LoadBalancerType.Network => "network",
        LoadBalancerType.Gateway => "gateway",
        _ => "application",
    };

    /// <summary>The type named by a request, or null when the name is not one of the enum's values.</summary>
    public static LoadBalancerType? ParseType(string name) => name switch
    {
        "application" => LoadBalancerType.Application,
        "network" => LoadBalancerType.Network,
        "gateway" => LoadBalancerType.Gateway,
        _ => null,
    };

    public static void Write(AwsXmlWriter w, LoadBalancer lb)
    {
        w.Value("LoadBalancerArn", lb.Arn)
            .Value("DNSName", lb.DnsName)
            .Value("CanonicalHostedZoneId", lb.CanonicalHostedZoneId)
            .Value("CreatedTime", lb.CreatedTime)
            .Value("LoadBalancerName", lb.Name)
            .Value("Scheme", lb.Type == LoadBalancerType.Gateway ? null : lb.Scheme)
            .Value("VpcId", lb.VpcId)
            .Struct("State", s => s.Value("Code", lb.State))
            .Value("Type", TypeName(lb.Type));
        WriteAvailabilityZones(w, lb);
        // NLBs created without security groups have none to show; GWLBs never do.
        if (lb.Type == LoadBalancerType.Application || !lb.SecurityGroups.IsDefaultOrEmpty)
            w.StringList("SecurityGroups", lb.SecurityGroups.IsDefault ? [] : lb.SecurityGroups);
        w.Value("IpAddressType", lb.IpAddressType)
            .Value("CustomerOwnedIpv4Pool", lb.CustomerOwnedIpv4Pool)
            .Value("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic", lb.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic)
            .Value("EnablePrefixForIpv6SourceNat", lb.EnablePrefixForIpv6SourceNat);
        WriteIpamPools(w, lb);
    }

    public static void WriteAvailabilityZones(AwsXmlWriter w, LoadBalancer lb) =>
        w.List("AvailabilityZones", lb.Nodes.IsDefault ? [] : lb.Nodes, WriteAvailabilityZone);

    public static void WriteAvailabilityZone(AwsXmlWriter w, LoadBalancerNode node) =>
        w.Value("ZoneName", node.ZoneName)
            .Value("SubnetId", node.SubnetId)
            .List("LoadBalancerAddresses", [node.IpAddress], (a, ip) => a.Value("IpAddress", ip));

    public static void WriteIpamPools(AwsXmlWriter w, LoadBalancer lb)
    {
        if (lb.Ipv4IpamPoolId is { } pool) w.Struct("IpamPools", p => p.Value("Ipv4IpamPoolId", pool));
    }
}
