using System.Collections.Immutable;

namespace Elbe.Model.Resources;

/// <summary>
/// The whole validated desired state: what the template or the API says should exist.
/// Immutable; every change produces a new instance that the data plane swaps in.
/// </summary>
public sealed record ElbeConfiguration
{
    public static readonly ElbeConfiguration Empty = new();

    public string Region { get; init; } = "us-east-1";
    public string AccountId { get; init; } = Identifiers.Arns.DefaultAccountId;
    public ImmutableArray<LoadBalancer> LoadBalancers { get; init; } = [];
    public ImmutableArray<Listener> Listeners { get; init; } = [];
    public ImmutableArray<ListenerRule> Rules { get; init; } = [];
    public ImmutableArray<TargetGroup> TargetGroups { get; init; } = [];
    public ImmutableArray<Instance> Instances { get; init; } = [];
    public ImmutableArray<TrustStore> TrustStores { get; init; } = [];
    /// <summary>ACM certificates; listeners name them by ARN.</summary>
    public ImmutableArray<Certificate> Certificates { get; init; } = [];
}
