namespace Elbe.Routing.Targets;

/// <summary>
/// weighted_random: a random candidate, weighted by <see cref="TargetState.RoutingWeight"/> (all 1 unless
/// anomaly mitigation lowered some). Stateless apart from Random.Shared, which is thread-safe.
/// </summary>
public sealed class WeightedRandomBalancer : ITargetBalancer
{
    public TargetState Pick(ReadOnlySpan<TargetState> candidates, long nowTicks)
    {
        double total = 0;
        bool allEqual = true;
        double first = candidates[0].RoutingWeight;
        foreach (var target in candidates)
        {
            double w = target.RoutingWeight;
            if (w > 0) total += w;
            allEqual &= w == first;
        }
        if (allEqual || total <= 0)
            return candidates[Random.Shared.Next(candidates.Length)];

        double roll = Random.Shared.NextDouble() * total;
        foreach (var target in candidates)
        {
            double w = target.RoutingWeight;
            if (w <= 0) continue;
            roll -= w;
            if (roll < 0) return target;
        }
        // Rounding can leave a sliver past the last weight; give it to the last weighted target.
        for (int i = candidates.Length - 1; ; i--)
            if (candidates[i].RoutingWeight > 0) return candidates[i];
    }
}
