namespace Elbe.Routing.Rules;

/// <summary>
/// One listener rule ready to evaluate: its conditions (ANDed) and whatever the data plane attached as
/// <see cref="Payload"/> (typically its compiled actions).
/// </summary>
public sealed class CompiledRule<TPayload>
{
    private readonly IConditionMatcher[] _conditions;

    internal CompiledRule(int priority, bool isDefault, string? ruleArn, IConditionMatcher[] conditions, TPayload payload)
    {
        Priority = priority;
        IsDefault = isDefault;
        RuleArn = ruleArn;
        _conditions = conditions;
        Payload = payload;
    }

    /// <summary>The rule priority; 0 for the default rule, as the access log's <c>matched_rule_priority</c> shows it.</summary>
    public int Priority { get; }

    public bool IsDefault { get; }

    /// <summary>The rule's ARN; null for the default rule, which the model keeps on the listener.</summary>
    public string? RuleArn { get; }

    public TPayload Payload { get; }

    public int ConditionCount => _conditions.Length;

    /// <summary>True when every condition matches; a rule without conditions matches everything.</summary>
    public bool Matches(in RoutingRequest request)
    {
        foreach (var c in _conditions)
            if (!c.Matches(request)) return false;
        return true;
    }
}
