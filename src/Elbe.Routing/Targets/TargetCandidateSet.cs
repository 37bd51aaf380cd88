namespace Elbe.Routing.Targets;

/// <summary>
/// An immutable snapshot of which targets of one target group may receive new requests. Rebuilt whenever a
/// target's health or draining flag changes, so the hot path only reads an array.
/// </summary>
/// <remarks>
/// Rules (fact sheet 0.3, 0.5, 1.9):
/// <list type="bullet">
/// <item>Draining and unused targets never get new requests.</item>
/// <item>Normally only healthy targets are routable. Targets still in <c>initial</c> count as not healthy:
/// they are not routable while something else is healthy.</item>
/// <item>When the healthy count is below minimum_healthy_targets (count, default 1, so this includes "none
/// healthy") or below the percentage, the set fails open to every non-draining target, initial and
/// unhealthy included. A group whose targets are all still in <c>initial</c> therefore gets traffic rather
/// than 503s, the same as a group whose targets are all unhealthy.</item>
/// </list>
/// </remarks>
public sealed class TargetCandidateSet
{
    public static readonly TargetCandidateSet Empty = new([], 0, 0, false);

    private readonly TargetState[] _routable;
    private readonly Dictionary<string, TargetState>.AlternateLookup<ReadOnlySpan<char>> _byEndpoint;

    private TargetCandidateSet(TargetState[] routable, int healthyCount, int inScopeCount, bool failingOpen)
    {
        _routable = routable;
        HealthyCount = healthyCount;
        InScopeCount = inScopeCount;
        IsFailingOpen = failingOpen;
        var byEndpoint = new Dictionary<string, TargetState>(routable.Length, StringComparer.Ordinal);
        foreach (var target in routable) byEndpoint.TryAdd(target.Endpoint, target);
        _byEndpoint = byEndpoint.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public ReadOnlySpan<TargetState> Routable => _routable;
    public int HealthyCount { get; }
    /// <summary>Registered targets that are not draining or unused: the denominator of the thresholds.</summary>
    public int InScopeCount { get; }
    /// <summary>True when routing to unhealthy targets (metric UnhealthyRoutingRequestCount, state UnhealthyStateRouting).</summary>
    public bool IsFailingOpen { get; }
    public bool IsEmpty => _routable.Length == 0;

    /// <summary>The routable target with this "address:port"; used to honour a stickiness cookie.</summary>
    public bool TryGetRoutable(ReadOnlySpan<char> endpoint, out TargetState target) =>
        _byEndpoint.TryGetValue(endpoint, out target!);

    public static TargetCandidateSet Build(ReadOnlySpan<TargetState> registered, MinimumHealthyTargets minimum)
    {
        // One pass that reads each target's state once, so a concurrent health write cannot make the
        // counts and the arrays disagree.
        var inScope = new TargetState[registered.Length];
        var healthy = new TargetState[registered.Length];
        int inScopeCount = 0, healthyCount = 0;
        foreach (var target in registered)
        {
            if (!IsInScope(target)) continue;
            inScope[inScopeCount++] = target;
            if (target.IsHealthy) healthy[healthyCount++] = target;
        }
        if (inScopeCount == 0) return Empty;

        bool failOpen = minimum.IsBreached(healthyCount, inScopeCount);
        var routable = failOpen ? inScope : healthy;
        Array.Resize(ref routable, failOpen ? inScopeCount : healthyCount);
        return new TargetCandidateSet(routable, healthyCount, inScopeCount, failOpen);
    }

    private static bool IsInScope(TargetState target)
    {
        if (target.IsDraining) return false;
        string state = target.Health.State;
        return state is not (Health.TargetHealthStates.Draining or Health.TargetHealthStates.Unused);
    }
}
