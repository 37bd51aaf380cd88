using Elbe.Routing.Targets;

namespace Elbe.Routing.Tests.Targets;

public class BalancerTests
{
    [Fact]
    public void Round_robin_visits_targets_in_order_and_evenly()
    {
        var targets = TestTargets.Many(3);
        var balancer = new RoundRobinBalancer();
        var sequence = new List<TargetState>();
        for (int i = 0; i < 6; i++) sequence.Add(balancer.Pick(targets, 0));
        Assert.Equal([targets[0], targets[1], targets[2], targets[0], targets[1], targets[2]], sequence);

        var counts = TestTargets.Count(() => balancer.Pick(targets, 0), 3000);
        Assert.All(targets, t => Assert.Equal(1000, counts[t]));
    }

    [Fact]
    public void Round_robin_is_even_under_concurrency()
    {
        var targets = TestTargets.Many(4);
        var balancer = new RoundRobinBalancer();
        var counts = new int[4];
        Parallel.For(0, 40_000, _ =>
        {
            var t = balancer.Pick(targets, 0);
            Interlocked.Increment(ref counts[Array.IndexOf(targets, t)]);
        });
        Assert.All(counts, c => Assert.Equal(10_000, c));
    }

    [Fact]
    public void Least_outstanding_requests_prefers_the_least_busy_target()
    {
        var targets = TestTargets.Many(3);
        for (int i = 0; i < 5; i++) targets[0].RequestStarted();
        for (int i = 0; i < 2; i++) targets[1].RequestStarted();
        for (int i = 0; i < 3; i++) targets[2].RequestStarted();
        var balancer = new LeastOutstandingRequestsBalancer();

        for (int i = 0; i < 10; i++) Assert.Same(targets[1], balancer.Pick(targets, 0));
    }

    [Fact]
    public void Least_outstanding_requests_rotates_among_ties()
    {
        var targets = TestTargets.Many(4);
        targets[3].RequestStarted();
        var balancer = new LeastOutstandingRequestsBalancer();

        var counts = TestTargets.Count(() => balancer.Pick(targets, 0), 3000);
        Assert.False(counts.ContainsKey(targets[3]));
        // Rotation over 4 starting points: the busy target's turn goes to the next idle one.
        Assert.Equal(3000, counts[targets[0]] + counts[targets[1]] + counts[targets[2]]);
        Assert.All(targets[..3], t => Assert.InRange(counts[t], 750, 1500));
    }

    [Fact]
    public void Least_outstanding_requests_spreads_load_when_picks_are_in_flight()
    {
        var targets = TestTargets.Many(3);
        var balancer = new LeastOutstandingRequestsBalancer();
        for (int i = 0; i < 30; i++) balancer.Pick(targets, 0).RequestStarted();
        Assert.All(targets, t => Assert.Equal(10, t.OutstandingRequests));
    }

    [Fact]
    public void Weighted_random_with_equal_weights_is_uniform()
    {
        var targets = TestTargets.Many(4);
        var balancer = new WeightedRandomBalancer();
        var counts = TestTargets.Count(() => balancer.Pick(targets, 0), 8000);
        Assert.All(targets, t => Assert.InRange(counts[t], 1700, 2300));
    }

    [Fact]
    public void Weighted_random_follows_routing_weights()
    {
        var targets = TestTargets.Many(3);
        targets[0].RoutingWeight = 3;
        targets[1].RoutingWeight = 1;
        targets[2].RoutingWeight = 0;
        var balancer = new WeightedRandomBalancer();
        var counts = TestTargets.Count(() => balancer.Pick(targets, 0), 8000);
        Assert.InRange(counts[targets[0]], 5700, 6300);
        Assert.InRange(counts[targets[1]], 1700, 2300);
        Assert.False(counts.ContainsKey(targets[2]));
    }

    [Theory]
    [InlineData("round_robin", typeof(RoundRobinBalancer))]
    [InlineData("least_outstanding_requests", typeof(LeastOutstandingRequestsBalancer))]
    [InlineData("weighted_random", typeof(WeightedRandomBalancer))]
    public void Factory_maps_algorithm_names(string algorithm, Type expected) =>
        Assert.IsType(expected, TargetBalancerFactory.Create(algorithm, 0));

    [Fact]
    public void Factory_rejects_unknown_algorithms() =>
        Assert.Throws<ArgumentException>(() => TargetBalancerFactory.Create("fastest", 0));

    [Fact]
    public void Factory_gives_round_robin_its_slow_start() =>
        Assert.Equal(30_000, Assert.IsType<RoundRobinBalancer>(TargetBalancerFactory.Create("round_robin", 30_000)).SlowStartMs);
}
