using System.Collections.Immutable;
using Elbe.Model.Attributes;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Api.Shapes;

/// <summary>
/// The <c>LoadBalancerAttribute</c> list: which keys a load balancer type has (with the defaults that depend on
/// the load balancer), how a Modify request carries them, and how Describe lists every key with its value.
/// </summary>
public static class LoadBalancerAttributeShape
{
    public const int MaxAttributesPerModify = 20;

    public static ImmutableArray<AttributeDefinition> Definitions(LoadBalancer lb) => lb.Type switch
    {
        LoadBalancerType.Network => WithSchemeDefault(NetworkLoadBalancerAttributes.Network, lb.Scheme),
        LoadBalancerType.Gateway => GatewayLoadBalancerAttributes.Gateway,
        _ => WithSchemeDefault(LoadBalancerAttributes.Application, lb.Scheme),
    };

    /// <summary>Every key with its effective value, in key order.</summary>
    public static IEnumerable<KeyValuePair<string, string>> All(LoadBalancer lb) =>
        new AttributeSet(lb.Attributes, Definitions(lb)).All().OrderBy(a => a.Key, StringComparer.Ordinal);

    /// <summary>The Key/Value pairs under <paramref name="member"/>; a repeated key keeps its last value.</summary>
    public static List<KeyValuePair<string, string>> ReadList(QueryParameters parameters, string member)
    {
        var items = parameters.GetStructList(member) ?? throw ApiException.Constraint(parameters.MemberName(member), null, "Member must not be null");
        var result = new List<KeyValuePair<string, string>>(items.Count);
        foreach (var item in items)
        {
            var key = item.Get("Key") ?? throw ApiException.Validation("An attribute key must be specified");
            if (key.Length > 256 || key.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_')))
                throw ApiException.Constraint(item.MemberName("Key"), key, "Member must satisfy regular expression pattern: ^[a-zA-Z0-9._]+$");
            result.Add(new(key, item.Get("Value") ?? ""));
        }
        return result;
    }

    public static void Write(AwsXmlWriter w, IEnumerable<KeyValuePair<string, string>> attributes) =>
        w.List("Attributes", attributes, (a, kv) => a.Value("Key", kv.Key).Value("Value", kv.Value));

    // Internal load balancers keep IPv6 internet-gateway traffic out by default.
    private static ImmutableArray<AttributeDefinition> WithSchemeDefault(ImmutableArray<AttributeDefinition> definitions, string scheme) =>
        scheme != "internal" ? definitions
            : [.. definitions.Select(d => d.Key == NetworkLoadBalancerAttributes.Ipv6DenyAllIgwTraffic ? d with { Default = "true" } : d)];
}
