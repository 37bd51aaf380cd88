using System.Collections.Immutable;

namespace Elbe.Model.Resources;

/// <summary>A non-default listener rule. The default rule is the listener's <see cref="Listener.DefaultActions"/>.</summary>
public sealed record ListenerRule
{
    public required string Arn { get; init; }
    public required string ListenerArn { get; init; }
    /// <summary>1-50000; lower runs first.</summary>
    public required int Priority { get; init; }
    public ImmutableArray<RuleCondition> Conditions { get; init; } = [];
    public ImmutableArray<RuleAction> Actions { get; init; } = [];
}
