using Elbe.Routing.Health;
using Elbe.Routing.Targets;

namespace Elbe.Routing.Tests.Targets;

/// <summary>load_balancing.cross_zone.enabled=false: each node picks only from its own zone (fact sheet 0.2, 1.9).</summary>
public class ZonalSelectionTests
{
    private const string A = "us-east-1a";
    private const string B = "us-east-1b";
    private const string C = "us-east-1c";

    private static TargetSelector CrossZoneOff(params TargetState[] targets) => CrossZoneOff(MinimumHealthyTargets.Default, targets);

    private static TargetSelector CrossZoneOff(MinimumHealthyTargets minimum, params TargetState[] targets) =>
        new(() => new RoundRobinBalancer(), 0, minimum, crossZoneEnabled: false, targets);

    [Fact]
    public void A_node_picks_only_targets_in_its_own_zone()
    {
        var a1 = TestTargets.InZone(1, A);
        var a2 = TestTargets.InZone(2, A);
        var b1 = TestTargets.InZone(3, B);
        var selector = CrossZoneOff(a1, a2, b1);

        var fromA = TestTargets.Count(() => selector.Pick(A, 0), 100);
        Assert.Equal(50, fromA[a1]);
        Assert.Equal(50, fromA[a2]);
        Assert.False(fromA.ContainsKey(b1));
        Assert.All(Enumerable.Range(0, 10), _ => Assert.Same(b1, selector.Pick(B, 0)));
        Assert.Equal([a1, a2], selector.CandidatesFor(A).Routable.ToArray());
    }

    [Fact]
    public void Each_zone_rotates_on_its_own_so_interleaved_nodes_stay_even()
    {
        var a1 = TestTargets.InZone(1, A);
        var a2 = TestTargets.InZone(2, A);
        var b1 = TestTargets.InZone(3, B);
        var b2 = TestTargets.InZone(4, B);
        var selector = CrossZoneOff(a1, a2, b1, b2);

        var fromA = new Dictionary<TargetState, int>();
        for (var i = 0; i < 100; i++)
        {
            var picked = selector.Pick(A, 0)!;
            fromA[picked] = fromA.GetValueOrDefault(picked) + 1;
            selector.Pick(B, 0);
        }
        Assert.Equal(50, fromA[a1]);
        Assert.Equal(50, fromA[a2]);
    }

    [Fact]
    public void Cross_zone_on_spreads_over_every_zone()
    {
        var a1 = TestTargets.InZone(1, A);
        var b1 = TestTargets.InZone(2, B);
        var selector = new TargetSelector(() => new RoundRobinBalancer(), 0, MinimumHealthyTargets.Default, crossZoneEnabled: true, [a1, b1]);

        var fromA = TestTargets.Count(() => selector.Pick(A, 0), 100);
        Assert.Equal(50, fromA[a1]);
        Assert.Equal(50, fromA[b1]);
        Assert.Same(selector.Candidates, selector.CandidatesFor(A));
    }

    [Fact]
    public void Targets_in_every_zone_serve_each_node_and_a_zone_without_targets_of_its_own()
    {
        var a1 = TestTargets.InZone(1, A);
        var everywhere = TestTargets.InZone(2, ZonalTargetCandidates.AllZones);
        var selector = CrossZoneOff(a1, everywhere);

        Assert.Equal([a1, everywhere], selector.CandidatesFor(A).Routable.ToArray());
        Assert.Equal([everywhere], selector.CandidatesFor(C).Routable.ToArray());
        Assert.All(Enumerable.Range(0, 10), _ => Assert.Same(everywhere, selector.Pick(C, 0)));
    }

    [Fact]
    public void A_zone_with_no_targets_has_nothing_to_route_to()
    {
        var selector = CrossZoneOff(TestTargets.InZone(1, A));
        Assert.True(selector.CandidatesFor(B).IsEmpty);
        Assert.Null(selector.Pick(B, 0));
        Assert.NotNull(selector.Pick(A, 0));
    }

    [Fact]
    public void An_unknown_node_zone_picks_from_every_zone()
    {
        var b1 = TestTargets.InZone(1, B);
        var selector = CrossZoneOff(b1);
        Assert.Same(b1, selector.Pick(null, 0));
        Assert.Same(selector.Candidates, selector.CandidatesFor(null));
    }

    [Fact]
    public void A_zone_with_nothing_healthy_fails_open_over_its_own_targets_only()
    {
        var a1 = TestTargets.InZone(1, A, TestTargets.Unhealthy);
        var a2 = TestTargets.InZone(2, A, TestTargets.Unhealthy);
        var b1 = TestTargets.InZone(3, B);
        var selector = CrossZoneOff(a1, a2, b1);

        var zoneA = selector.CandidatesFor(A);
        Assert.True(zoneA.IsFailingOpen);
        Assert.Equal([a1, a2], zoneA.Routable.ToArray());
        Assert.False(selector.CandidatesFor(B).IsFailingOpen);
        // The group as a whole has a healthy target, so the all-zones view does not fail open.
        Assert.False(selector.Candidates.IsFailingOpen);
        var fromA = TestTargets.Count(() => selector.Pick(A, 0), 10);
        Assert.False(fromA.ContainsKey(b1));
    }

    [Fact]
    public void Minimum_healthy_targets_counts_the_zone_alone()
    {
        // 1 of 2 healthy in A (50 %) breaches 60 %; 3 of 4 in B (75 %) does not; the group overall is 4 of 6 (67 %).
        var a1 = TestTargets.InZone(1, A);
        var a2 = TestTargets.InZone(2, A, TestTargets.Unhealthy);
        var b = new[] { TestTargets.InZone(3, B), TestTargets.InZone(4, B), TestTargets.InZone(5, B), TestTargets.InZone(6, B, TestTargets.Unhealthy) };
        var selector = CrossZoneOff(new MinimumHealthyTargets(1, 60), [a1, a2, .. b]);

        Assert.True(selector.CandidatesFor(A).IsFailingOpen);
        Assert.Equal([a1, a2], selector.CandidatesFor(A).Routable.ToArray());
        Assert.False(selector.CandidatesFor(B).IsFailingOpen);
        Assert.Equal(b[..3], selector.CandidatesFor(B).Routable.ToArray());
        Assert.False(selector.Candidates.IsFailingOpen);
    }

    [Fact]
    public void Health_changes_rebuild_the_zone_sets()
    {
        var a1 = TestTargets.InZone(1, A);
        var a2 = TestTargets.InZone(2, A);
        var selector = CrossZoneOff(a1, a2);

        selector.ApplyHealth(a1, TestTargets.Unhealthy, 0);
        Assert.Equal([a2], selector.CandidatesFor(A).Routable.ToArray());
        selector.Deregister(a2);
        Assert.Equal([a1], selector.CandidatesFor(A).Routable.ToArray());
        Assert.True(selector.CandidatesFor(A).IsFailingOpen);
    }

    [Fact]
    public void The_sticky_lookup_finds_only_targets_of_the_node_zone()
    {
        var a1 = TestTargets.InZone(1, A);
        var b1 = TestTargets.InZone(2, B);
        var selector = CrossZoneOff(a1, b1);

        Assert.True(selector.CandidatesFor(A).TryGetRoutable(a1.Endpoint, out _));
        Assert.False(selector.CandidatesFor(A).TryGetRoutable(b1.Endpoint, out _));
        Assert.True(selector.CandidatesFor(B).TryGetRoutable(b1.Endpoint, out _));
    }

    [Theory]
    [InlineData("round_robin", 0)]
    [InlineData("round_robin", 30_000)]
    [InlineData("least_outstanding_requests", 0)]
    [InlineData("weighted_random", 0)]
    public void Picking_by_zone_allocates_nothing(string algorithm, long slowStartMs)
    {
        TargetState[] targets = [TestTargets.InZone(1, A), TestTargets.InZone(2, A), TestTargets.InZone(3, B), TestTargets.InZone(4, ZonalTargetCandidates.AllZones)];
        targets[1].SlowStartSinceTicks = 0;
        var selector = new TargetSelector(() => TargetBalancerFactory.Create(algorithm, slowStartMs), slowStartMs, MinimumHealthyTargets.Default, crossZoneEnabled: false, targets);
        string[] zones = [A, B, C];
        for (int i = 0; i < 100; i++) selector.Pick(zones[i % 3], i);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            selector.Pick(zones[i % 3], 10_000 + i);
            selector.CandidatesFor(zones[i % 3]).TryGetRoutable(targets[0].Endpoint, out _);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
