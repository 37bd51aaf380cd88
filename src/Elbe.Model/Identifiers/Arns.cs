using System.Security.Cryptography;

namespace Elbe.Model.Identifiers;

/// <summary>ARNs, ids and DNS names in the exact formats AWS uses.</summary>
public static class Arns
{
    public const string DefaultAccountId = "000000000000";

    public static string Prefix(string region, string account) => $"arn:aws:elasticloadbalancing:{region}:{account}:";

    /// <summary>16 lowercase hex characters, as in every ELBv2 ARN.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>A stable id from a seed, so a template gives the same ARNs on every start.</summary>
    public static string StableId(string seed) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed)).AsSpan(0, 8));

    public static string TypeSegment(Resources.LoadBalancerType type) => type switch
    {
        Resources.LoadBalancerType.Network => "net",
        Resources.LoadBalancerType.Gateway => "gwy",
        _ => "app",
    };

    public static string LoadBalancer(string region, string account, Resources.LoadBalancerType type, string name, string id) =>
        $"{Prefix(region, account)}loadbalancer/{TypeSegment(type)}/{name}/{id}";

    public static string Listener(string loadBalancerArn, string listenerId) =>
        loadBalancerArn.Replace(":loadbalancer/", ":listener/", StringComparison.Ordinal) + "/" + listenerId;

    public static string Rule(string listenerArn, string ruleId) =>
        listenerArn.Replace(":listener/", ":listener-rule/", StringComparison.Ordinal) + "/" + ruleId;

    public static string TargetGroup(string region, string account, string name, string id) =>
        $"{Prefix(region, account)}targetgroup/{name}/{id}";

    /// <summary>"app/name/id": the part after "loadbalancer/", used by Fn::GetAtt LoadBalancerFullName.</summary>
    public static string LoadBalancerFullName(string loadBalancerArn) =>
        loadBalancerArn[(loadBalancerArn.IndexOf(":loadbalancer/", StringComparison.Ordinal) + ":loadbalancer/".Length)..];

    /// <summary>"targetgroup/name/id": used by Fn::GetAtt TargetGroupFullName.</summary>
    public static string TargetGroupFullName(string targetGroupArn) =>
        targetGroupArn[(targetGroupArn.LastIndexOf(':') + 1)..];

    /// <summary>ALB: name-decimal.region.elb.amazonaws.com; NLB/GWLB: name-hexid.elb.region.amazonaws.com.</summary>
    public static string DnsName(Resources.LoadBalancerType type, string scheme, string name, string id, string region)
    {
        var prefix = scheme == "internal" ? "internal-" : "";
        if (type == Resources.LoadBalancerType.Application)
        {
            var dec = (Convert.ToUInt64(id, 16) % 10_000_000_000UL).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return $"{prefix}{name}-{dec}.{region}.elb.amazonaws.com";
        }
        return $"{prefix}{name}-{id}.elb.{region}.amazonaws.com";
    }
}
