using System.Collections.Immutable;

namespace Elbe.Model.Resources;

public sealed record Listener
{
    public required string Arn { get; init; }
    public required string LoadBalancerArn { get; init; }
    public required int Port { get; init; }
    public required string Protocol { get; init; }
    public ImmutableArray<RuleAction> DefaultActions { get; init; } = [];
    public ImmutableArray<string> CertificateArns { get; init; } = [];
    public string? SslPolicy { get; init; }
    public ImmutableSortedDictionary<string, string> Attributes { get; init; } = ImmutableSortedDictionary<string, string>.Empty;
}
