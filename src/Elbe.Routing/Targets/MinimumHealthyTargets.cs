using System.Globalization;
using Elbe.Model.Attributes;

namespace Elbe.Routing.Targets;

/// <summary>
/// target_group_health.unhealthy_state_routing.minimum_healthy_targets: below either threshold the node
/// routes to every target in scope, healthy or not ("routing failover").
/// </summary>
/// <param name="Count">1 or more; the default 1 is what makes plain fail-open happen when nothing is healthy.</param>
/// <param name="Percentage">1-100, or null for "off".</param>
public readonly record struct MinimumHealthyTargets(int Count = 1, int? Percentage = null)
{
    public const string CountAttribute = "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count";
    public const string PercentageAttribute = "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage";

    public static MinimumHealthyTargets Default => new(1, null);

    public static MinimumHealthyTargets FromAttributes(AttributeSet attributes)
    {
        int count = attributes.GetInt(CountAttribute);
        string percentage = attributes.Get(PercentageAttribute);
        return new MinimumHealthyTargets(count, percentage == "off" ? null : int.Parse(percentage, CultureInfo.InvariantCulture));
    }

    /// <summary>True when <paramref name="healthy"/> out of <paramref name="inScope"/> is below either threshold.</summary>
    public bool IsBreached(int healthy, int inScope)
    {
        if (healthy < Count) return true;
        // Integer form of healthy/inScope < percentage/100, so 5 of 10 at 50 % is not a breach.
        return Percentage is int p && (long)healthy * 100 < (long)p * inScope;
    }
}
