using Elbe.Routing.Flows;
using Elbe.Routing.Targets;
using Elbe.Routing.Tests.Targets;

namespace Elbe.Routing.Tests.Flows;

public class FlowTargetPickerTests
{
    [Fact]
    public void A_flow_keeps_its_target_across_pickers_and_moves_only_when_its_target_leaves()
    {
        var targets = TestTargets.Many(5);
        var all = TargetCandidateSet.Build(targets, MinimumHealthyTargets.Default);
        var one = new FlowTargetPicker();
        var other = new FlowTargetPicker();
        var picks = new Dictionary<ulong, TargetState>();
        for (ulong flow = 0; flow < 2_000; flow++)
        {
            var picked = one.Pick(all, StableHash.Finish(flow))!;
            Assert.Same(picked, other.Pick(all, StableHash.Finish(flow)));
            picks[flow] = picked;
        }

        targets[1].Health = TestTargets.Unhealthy;
        var withoutSecond = TargetCandidateSet.Build(targets, MinimumHealthyTargets.Default);
        var moved = picks.Count(p => p.Value != targets[1] && one.Pick(withoutSecond, StableHash.Finish(p.Key)) != p.Value);
        Assert.True(moved < 40, $"{moved} flows of healthy targets moved");
        Assert.DoesNotContain(picks.Keys, flow => one.Pick(withoutSecond, StableHash.Finish(flow)) == targets[1]);
    }

    [Fact]
    public void Nothing_routable_picks_nothing() =>
        Assert.Null(new FlowTargetPicker().Pick(TargetCandidateSet.Empty, 42));
}
