using Elbe.Model.Resources;

namespace Elbe.ControlPlane.State;

/// <summary>Takes an <see cref="ElbeConfiguration"/> apart into keyed resources and puts one back together.</summary>
internal static class ConfigurationResources
{
    public static readonly IReadOnlyList<ResourceKind> Kinds =
        [ResourceKind.LoadBalancer, ResourceKind.TargetGroup, ResourceKind.Listener, ResourceKind.Rule, ResourceKind.Instance, ResourceKind.TrustStore, ResourceKind.Certificate];

    public static Type ModelType(ResourceKind kind) => kind switch
    {
        ResourceKind.LoadBalancer => typeof(LoadBalancer),
        ResourceKind.Listener => typeof(Listener),
        ResourceKind.Rule => typeof(ListenerRule),
        ResourceKind.TargetGroup => typeof(TargetGroup),
        ResourceKind.Instance => typeof(Instance),
        ResourceKind.TrustStore => typeof(TrustStore),
        ResourceKind.Certificate => typeof(Certificate),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static IEnumerable<KeyedResource> Of(ElbeConfiguration configuration, ResourceKind kind) => kind switch
    {
        ResourceKind.LoadBalancer => configuration.LoadBalancers.Select(r => new KeyedResource(kind, r.Arn, r)),
        ResourceKind.Listener => configuration.Listeners.Select(r => new KeyedResource(kind, r.Arn, r)),
        ResourceKind.Rule => configuration.Rules.Select(r => new KeyedResource(kind, r.Arn, r)),
        ResourceKind.TargetGroup => configuration.TargetGroups.Select(r => new KeyedResource(kind, r.Arn, r)),
        ResourceKind.Instance => configuration.Instances.Select(r => new KeyedResource(kind, r.InstanceId, r)),
        ResourceKind.TrustStore => configuration.TrustStores.Select(r => new KeyedResource(kind, r.Arn, r)),
        ResourceKind.Certificate => configuration.Certificates.Select(r => new KeyedResource(kind, r.Arn, r)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static IEnumerable<KeyedResource> All(ElbeConfiguration configuration) => Kinds.SelectMany(k => Of(configuration, k));

    /// <summary>
    /// True when both configurations hold the very same array for <paramref name="kind"/>: the usual case for every
    /// kind a mutation did not touch, which lets the diff skip it without looking at its resources.
    /// </summary>
    public static bool SameArray(ElbeConfiguration a, ElbeConfiguration b, ResourceKind kind) => kind switch
    {
        ResourceKind.LoadBalancer => a.LoadBalancers == b.LoadBalancers,
        ResourceKind.Listener => a.Listeners == b.Listeners,
        ResourceKind.Rule => a.Rules == b.Rules,
        ResourceKind.TargetGroup => a.TargetGroups == b.TargetGroups,
        ResourceKind.Instance => a.Instances == b.Instances,
        ResourceKind.TrustStore => a.TrustStores == b.TrustStores,
        ResourceKind.Certificate => a.Certificates == b.Certificates,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>A configuration of <paramref name="resources"/>, each kind in the order given.</summary>
    public static ElbeConfiguration Assemble(string region, string accountId, IEnumerable<KeyedResource> resources)
    {
        var list = resources as IReadOnlyCollection<KeyedResource> ?? [.. resources];
        return new ElbeConfiguration
        {
            Region = region,
            AccountId = accountId,
            LoadBalancers = [.. list.Where(r => r.Kind == ResourceKind.LoadBalancer).Select(r => (LoadBalancer)r.Value)],
            Listeners = [.. list.Where(r => r.Kind == ResourceKind.Listener).Select(r => (Listener)r.Value)],
            Rules = [.. list.Where(r => r.Kind == ResourceKind.Rule).Select(r => (ListenerRule)r.Value)],
            TargetGroups = [.. list.Where(r => r.Kind == ResourceKind.TargetGroup).Select(r => (TargetGroup)r.Value)],
            Instances = [.. list.Where(r => r.Kind == ResourceKind.Instance).Select(r => (Instance)r.Value)],
            TrustStores = [.. list.Where(r => r.Kind == ResourceKind.TrustStore).Select(r => (TrustStore)r.Value)],
            Certificates = [.. list.Where(r => r.Kind == ResourceKind.Certificate).Select(r => (Certificate)r.Value)],
        };
    }
}
