using Elbe.Routing.Health;
using Elbe.Routing.Targets;

namespace Elbe.Routing.Tests.Targets;

public class SlowStartTests
{
    private const long Duration = 100_000;

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(25_000, 0.25)]
    [InlineData(50_000, 0.5)]
    [InlineData(100_000, 1.0)]
    [InlineData(500_000, 1.0)]
    public void Share_rises_linearly_over_the_duration(long elapsed, double share) =>
        Assert.Equal(share, SlowStart.Share(1_000, 1_000 + elapsed, Duration), 6);

    [Fact]
    public void Share_is_full_outside_slow_start() =>
        Assert.Equal(1.0, SlowStart.Share(SlowStart.NotInSlowStart, 5, Duration));

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(25_000, 0.25)]
    [InlineData(50_000, 0.5)]
    [InlineData(75_000, 0.75)]
    [InlineData(100_000, 1.0)]
    public void Round_robin_gives_a_slow_start_target_its_share_and_keeps_the_rest_even(long elapsed, double share)
    {
        var targets = TestTargets.Many(4);
        const long since = 10_000;
        targets[3].SlowStartSinceTicks = since;
        var balancer = new RoundRobinBalancer(Duration);

        var counts = TestTargets.Count(() => balancer.Pick(targets, since + elapsed), 30_000);

        // A full share is what each of the others gets; the ramping target gets `share` of that.
        double others = (counts[targets[0]] + counts[targets[1]] + counts[targets[2]]) / 3.0;
        Assert.All(targets[..3], t => Assert.InRange(counts[t], others - 2, others + 2));
        double ratio = counts.GetValueOrDefault(targets[3]) / others;
        Assert.InRange(ratio, share - 0.01, share + 0.01);
    }

    [Fact]
    public void Round_robin_still_picks_when_every_candidate_is_ramping_from_zero()
    {
        var targets = TestTargets.Many(2);
        foreach (var t in targets) t.SlowStartSinceTicks = 0;
        var balancer = new RoundRobinBalancer(Duration);
        Assert.NotNull(balancer.Pick(targets, 0));
    }

    [Fact]
    public void A_target_joining_a_healthy_group_enters_slow_start_when_it_becomes_healthy()
    {
        var selector = NewSelector();
        var first = TestTargets.Make(1, TargetHealth.Initial);
        selector.Register([first]);
        selector.ApplyHealth(first, TargetHealth.Healthy, 1_000);
        var late = TestTargets.Make(2, TargetHealth.Initial);
        selector.Register([late]);

        selector.ApplyHealth(late, TargetHealth.Healthy, 5_000);

        Assert.Equal(5_000, late.SlowStartSinceTicks);
        Assert.True(SlowStart.IsIn(late, 5_000 + Duration - 1, Duration));
        Assert.False(SlowStart.IsIn(late, 5_000 + Duration, Duration));
    }

    [Fact]
    public void Targets_registered_together_into_an_empty_group_skip_slow_start()
    {
        var selector = NewSelector();
        var targets = TestTargets.Many(3, TargetHealth.Initial);
        selector.Register(targets);
        foreach (var t in targets) selector.ApplyHealth(t, TargetHealth.Healthy, 1_000);
        Assert.All(targets, t => Assert.Equal(SlowStart.NotInSlowStart, t.SlowStartSinceTicks));
    }

    [Fact]
    public void No_slow_start_without_a_healthy_peer_outside_slow_start()
    {
        var selector = NewSelector();
        var a = TestTargets.Make(1, TargetHealth.Initial);
        selector.Register([a]);
        selector.ApplyHealth(a, TargetHealth.Healthy, 0);
        var b = TestTargets.Make(2, TargetHealth.Initial);
        var c = TestTargets.Make(3, TargetHealth.Initial);
        selector.Register([b]);
        selector.Register([c]);
        selector.ApplyHealth(a, TestTargets.Unhealthy, 10);

        selector.ApplyHealth(b, TargetHealth.Healthy, 20);
        Assert.Equal(SlowStart.NotInSlowStart, b.SlowStartSinceTicks);

        // b is healthy and not ramping, so c ramps.
        selector.ApplyHealth(c, TargetHealth.Healthy, 30);
        Assert.Equal(30, c.SlowStartSinceTicks);
    }

    [Fact]
    public void Turning_unhealthy_ends_slow_start_and_recovering_re_enters_it()
    {
        var selector = NewSelector();
        var a = TestTargets.Make(1, TargetHealth.Initial);
        selector.Register([a]);
        selector.ApplyHealth(a, TargetHealth.Healthy, 0);
        var b = TestTargets.Make(2, TargetHealth.Initial);
        selector.Register([b]);
        selector.ApplyHealth(b, TargetHealth.Healthy, 100);
        Assert.Equal(100, b.SlowStartSinceTicks);

        selector.ApplyHealth(b, TestTargets.Unhealthy, 200);
        Assert.Equal(SlowStart.NotInSlowStart, b.SlowStartSinceTicks);

        selector.ApplyHealth(b, TargetHealth.Healthy, 300);
        Assert.Equal(300, b.SlowStartSinceTicks);
    }

    [Fact]
    public void Deregistering_ends_slow_start()
    {
        var selector = NewSelector();
        var a = TestTargets.Make(1, TargetHealth.Initial);
        selector.Register([a]);
        selector.ApplyHealth(a, TargetHealth.Healthy, 0);
        var b = TestTargets.Make(2, TargetHealth.Initial);
        selector.Register([b]);
        selector.ApplyHealth(b, TargetHealth.Healthy, 100);

        selector.Deregister(b);
        Assert.Equal(SlowStart.NotInSlowStart, b.SlowStartSinceTicks);
    }

    [Fact]
    public void Targets_already_healthy_when_slow_start_is_enabled_do_not_enter_it()
    {
        var existing = TestTargets.Many(2);
        var selector = new TargetSelector(new RoundRobinBalancer(Duration), Duration, MinimumHealthyTargets.Default, existing);
        selector.ApplyHealth(existing[0], TargetHealth.Healthy, 50);
        Assert.All(existing, t => Assert.Equal(SlowStart.NotInSlowStart, t.SlowStartSinceTicks));
    }

    private static TargetSelector NewSelector() =>
        new(new RoundRobinBalancer(Duration), Duration, MinimumHealthyTargets.Default);
}
