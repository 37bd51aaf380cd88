using Elbe.Model.Resources;

namespace Elbe.Routing.Rules;

/// <summary>
/// A listener's rules compiled for one configuration snapshot: non-default rules in ascending priority, then
/// the default rule. Immutable, so it is shared by all requests without locks; a new configuration builds a
/// new set and swaps it in.
/// </summary>
public sealed class CompiledRuleSet<TPayload>
{
    private readonly CompiledRule<TPayload>[] _rules;

    /// <param name="defaultPayload">What the listener's default actions compile to.</param>
    /// <param name="rules">The listener's non-default rules with their payloads, in any order; priorities must be unique.</param>
    public CompiledRuleSet(TPayload defaultPayload, IEnumerable<(ListenerRule Rule, TPayload Payload)> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var compiled = new List<CompiledRule<TPayload>>();
        foreach (var (rule, payload) in rules)
        {
            var matchers = new IConditionMatcher[rule.Conditions.Length];
            for (var i = 0; i < matchers.Length; i++)
                matchers[i] = ConditionMatcherCompiler.Compile(rule.Conditions[i]);
            compiled.Add(new CompiledRule<TPayload>(rule.Priority, isDefault: false, rule.Arn, matchers, payload));
        }
        compiled.Sort(static (a, b) => a.Priority.CompareTo(b.Priority));
        for (var i = 1; i < compiled.Count; i++)
            if (compiled[i].Priority == compiled[i - 1].Priority)
                throw new ArgumentException($"Priority {compiled[i].Priority} is used by more than one rule.", nameof(rules));

        compiled.Add(new CompiledRule<TPayload>(0, isDefault: true, ruleArn: null, [], defaultPayload));
        _rules = [.. compiled];
    }

    /// <summary>All rules in evaluation order; the default rule is last.</summary>
    public IReadOnlyList<CompiledRule<TPayload>> Rules => _rules;

    public CompiledRule<TPayload> DefaultRule => _rules[^1];

    /// <summary>The first rule, by ascending priority, whose conditions all match; the default rule when none does.</summary>
    public CompiledRule<TPayload> Match(in RoutingRequest request)
    {
        var rules = _rules;
        // The default rule has no conditions, so the loop always ends on it at the latest.
        for (var i = 0; i < rules.Length - 1; i++)
            if (rules[i].Matches(request)) return rules[i];
        return rules[^1];
    }
}
