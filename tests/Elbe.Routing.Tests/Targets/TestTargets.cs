using Elbe.Model.Resources;
using Elbe.Routing.Health;
using Elbe.Routing.Targets;

namespace Elbe.Routing.Tests.Targets;

internal static class TestTargets
{
    public static TargetState Make(int n, TargetHealth? health = null) => InZone(n, "us-east-1a", health);

    public static TargetState InZone(int n, string zone, TargetHealth? health = null)
    {
        var address = $"10.0.0.{n}";
        return new TargetState(new TargetDescription(address, 80), address, 80, zone) { Health = health ?? TargetHealth.Healthy };
    }

    public static TargetState[] Many(int count, TargetHealth? health = null)
    {
        var targets = new TargetState[count];
        for (int i = 0; i < count; i++) targets[i] = Make(i + 1, health);
        return targets;
    }

    public static readonly TargetHealth Unhealthy = new(TargetHealthStates.Unhealthy, "Target.Timeout", "Request timed out");

    public static Dictionary<TargetState, int> Count(Func<TargetState?> pick, int picks)
    {
        var counts = new Dictionary<TargetState, int>();
        for (int i = 0; i < picks; i++)
        {
            var t = pick() ?? throw new InvalidOperationException("no target");
            counts[t] = counts.GetValueOrDefault(t) + 1;
        }
        return counts;
    }
}
