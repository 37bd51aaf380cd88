using Elbe.ControlPlane.Api.Shapes;
using Elbe.Model.Security;
using Elbe.Model.Validation;

namespace Elbe.ControlPlane.Api.Actions;

/// <summary>What an account sees regardless of its resources: its quotas, the predefined security policies, resource policies.</summary>
public static class AccountActions
{
    /// <summary>The ELBv2 quotas in the order DescribeAccountLimits lists them, with AWS's default values.</summary>
    public static readonly IReadOnlyList<(string Name, int Max)> Limits =
    [
        ("application-load-balancers", 50),
        ("condition-values-per-alb-rule", 5),
        ("condition-wildcards-per-alb-rule", 5),
        ("gateway-load-balancers", 100),
        ("gateway-load-balancers-per-vpc", 100),
        ("geneve-target-groups", 100),
        ("listeners-per-application-load-balancer", ConfigurationValidator.MaxListenersPerApplicationLoadBalancer),
        ("listeners-per-network-load-balancer", 50),
        ("network-load-balancers", 50),
        ("rules-per-application-load-balancer", ConfigurationValidator.MaxRulesPerApplicationLoadBalancer),
        ("target-groups", 3000),
        ("target-groups-per-action-on-application-load-balancer", 5),
        ("target-groups-per-action-on-network-load-balancer", 1),
        ("target-groups-per-application-load-balancer", 100),
        ("targets-per-application-load-balancer", 1000),
        ("targets-per-availability-zone-per-gateway-load-balancer", 300),
        ("targets-per-availability-zone-per-network-load-balancer", 500),
        ("targets-per-network-load-balancer", 3000),
    ];

    public static void Register(ApiActionTable table)
    {
        table.AddElbv2("DescribeAccountLimits", DescribeAccountLimitsAsync)
            .AddElbv2("DescribeSSLPolicies", DescribeSslPoliciesAsync)
            .AddElbv2("GetResourcePolicy", GetResourcePolicyAsync);
    }

    private static Task<Action<AwsXmlWriter>?> DescribeAccountLimitsAsync(ApiCall call)
    {
        var (page, next) = Pagination.Paginate(Limits, call.Parameters);
        return Result(w => w.List("Limits", page, LimitShape.Write).Value("NextMarker", next));
    }

    private static Task<Action<AwsXmlWriter>?> DescribeSslPoliciesAsync(ApiCall call)
    {
        IEnumerable<SslPolicy> policies = SslPolicies.All;
        if (call.Parameters.GetList("Names") is { Count: > 0 } names)
        {
            var named = new List<SslPolicy>(names.Count);
            foreach (var name in names.Distinct(StringComparer.Ordinal))
                named.Add(SslPolicies.Find(name) ?? throw SslPolicyShape.NotFound());
            policies = named;
        }
        if (call.Parameters.Get("LoadBalancerType") is { } typeName)
        {
            var type = LoadBalancerShape.ParseType(typeName)
                ?? throw ApiException.Constraint("loadBalancerType", typeName, "Member must satisfy enum value set: [application, network, gateway]");
            policies = policies.Where(p => p.Supports(type));
        }
        var (page, next) = Pagination.Paginate(policies.ToList(), call.Parameters);
        return Result(w => w.List("SslPolicies", page, SslPolicyShape.Write).Value("NextMarker", next));
    }

    /// <summary>
    /// Resource policies exist in AWS to share trust stores across accounts through RAM, which Elbe does not have:
    /// a known resource has no policy (the result is empty), an unknown one is ResourceNotFound.
    /// </summary>
    private static Task<Action<AwsXmlWriter>?> GetResourcePolicyAsync(ApiCall call)
    {
        var arn = call.Parameters.Require("ResourceArn");
        bool exists;
        try
        {
            exists = TaggedResource.Exists(call.Store.Current, arn);
        }
        catch (ApiException)
        {
            exists = false;
        }
        if (!exists) throw new ApiException("ResourceNotFound", $"The specified resource '{arn}' does not exist");
        return Result(null);
    }

    private static Task<Action<AwsXmlWriter>?> Result(Action<AwsXmlWriter>? result) => Task.FromResult(result);
}
