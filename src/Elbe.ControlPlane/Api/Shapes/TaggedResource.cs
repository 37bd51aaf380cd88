using System.Collections.Immutable;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Api.Shapes;

/// <summary>
/// The resources that carry tags, found by ARN: load balancers, target groups, listeners, rules and trust
/// stores. The ARN's resource segment says which kind it names, and so which NotFound code an unknown one gets.
/// </summary>
public static class TaggedResource
{
    public enum Kind { LoadBalancer, TargetGroup, Listener, Rule, TrustStore }

    /// <summary>The kind an ARN names; ValidationError when it is not an ELBv2 resource ARN.</summary>
    public static Kind KindOf(string arn)
    {
        var resource = ResourcePart(arn);
        if (resource.StartsWith("loadbalancer/", StringComparison.Ordinal)) return Kind.LoadBalancer;
        if (resource.StartsWith("targetgroup/", StringComparison.Ordinal)) return Kind.TargetGroup;
        if (resource.StartsWith("listener/", StringComparison.Ordinal)) return Kind.Listener;
        if (resource.StartsWith("listener-rule/", StringComparison.Ordinal)) return Kind.Rule;
        if (resource.StartsWith("truststore/", StringComparison.Ordinal)) return Kind.TrustStore;
        throw InvalidArn(arn);
    }

    public static bool Exists(ElbeConfiguration configuration, string arn)
    {
        var kind = KindOf(arn);
        return IndexOf(configuration, kind, arn) >= 0 || (kind == Kind.Rule && IsDefaultRule(configuration, arn));
    }

    /// <summary>The resource's tags; its kind's NotFound error when there is no such resource.</summary>
    public static ImmutableArray<Tag> TagsOf(ElbeConfiguration configuration, string arn)
    {
        var kind = KindOf(arn);
        var index = IndexOf(configuration, kind, arn);
        if (index < 0 && kind == Kind.Rule && IsDefaultRule(configuration, arn)) return [];
        if (index < 0) throw NotFound(kind);
        var tags = kind switch
        {
            Kind.LoadBalancer => configuration.LoadBalancers[index].Tags,
            Kind.TargetGroup => configuration.TargetGroups[index].Tags,
            Kind.Listener => configuration.Listeners[index].Tags,
            Kind.Rule => configuration.Rules[index].Tags,
            _ => configuration.TrustStores[index].Tags,
        };
        return tags.IsDefault ? [] : tags;
    }

    /// <summary>The configuration with the resource's tags replaced by what <paramref name="change"/> makes of them.</summary>
    public static ElbeConfiguration WithTags(ElbeConfiguration configuration, string arn, Func<ImmutableArray<Tag>, ImmutableArray<Tag>> change)
    {
        var kind = KindOf(arn);
        var index = IndexOf(configuration, kind, arn);
        // A default rule is its listener's DefaultActions, with nowhere of its own to keep tags.
        if (index < 0 && kind == Kind.Rule && IsDefaultRule(configuration, arn))
            throw ApiException.Validation($"Tags cannot be changed on the default rule '{arn}'");
        if (index < 0) throw NotFound(kind);
        var tags = change(TagsOf(configuration, arn));
        return kind switch
        {
            Kind.LoadBalancer => configuration with { LoadBalancers = configuration.LoadBalancers.SetItem(index, configuration.LoadBalancers[index] with { Tags = tags }) },
            Kind.TargetGroup => configuration with { TargetGroups = configuration.TargetGroups.SetItem(index, configuration.TargetGroups[index] with { Tags = tags }) },
            Kind.Listener => configuration with { Listeners = configuration.Listeners.SetItem(index, configuration.Listeners[index] with { Tags = tags }) },
            Kind.Rule => configuration with { Rules = configuration.Rules.SetItem(index, configuration.Rules[index] with { Tags = tags }) },
            _ => configuration with { TrustStores = configuration.TrustStores.SetItem(index, configuration.TrustStores[index] with { Tags = tags }) },
        };
    }

    public static ApiException NotFound(Kind kind) => kind switch
    {
        Kind.LoadBalancer => new("LoadBalancerNotFound", "One or more load balancers not found"),
        Kind.TargetGroup => new("TargetGroupNotFound", "One or more target groups not found"),
        Kind.Listener => new("ListenerNotFound", "One or more listeners not found"),
        Kind.Rule => new("RuleNotFound", "One or more rules not found"),
        _ => new("TrustStoreNotFound", "One or more trust stores not found"),
    };

    private static ApiException InvalidArn(string arn) => ApiException.Validation($"'{arn}' is not a valid resource ARN");

    /// <summary>"loadbalancer/app/name/id" from "arn:aws:elasticloadbalancing:region:account:loadbalancer/app/name/id".</summary>
    private static string ResourcePart(string arn)
    {
        var parts = arn.Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "elasticloadbalancing") throw InvalidArn(arn);
        return parts[5];
    }

    private static bool IsDefaultRule(ElbeConfiguration configuration, string arn)
    {
        foreach (var listener in configuration.Listeners)
            if (string.Equals(RuleShape.DefaultRuleArn(listener.Arn), arn, StringComparison.Ordinal)) return true;
        return false;
    }

    private static int IndexOf(ElbeConfiguration configuration, Kind kind, string arn) => kind switch
    {
        Kind.LoadBalancer => IndexOf(configuration.LoadBalancers, arn, lb => lb.Arn),
        Kind.TargetGroup => IndexOf(configuration.TargetGroups, arn, tg => tg.Arn),
        Kind.Listener => IndexOf(configuration.Listeners, arn, l => l.Arn),
        Kind.Rule => IndexOf(configuration.Rules, arn, r => r.Arn),
        _ => IndexOf(configuration.TrustStores, arn, t => t.Arn),
    };

    private static int IndexOf<T>(ImmutableArray<T> items, string arn, Func<T, string> arnOf)
    {
        if (items.IsDefault) return -1;
        for (var i = 0; i < items.Length; i++)
            if (string.Equals(arnOf(items[i]), arn, StringComparison.Ordinal)) return i;
        return -1;
    }
}
