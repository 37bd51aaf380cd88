using System.Collections.Immutable;
using Elbe.Model.Attributes;
using Elbe.Routing.Targets;

namespace Elbe.Routing.Tests.Targets;

public class HotPathAllocationTests
{
    [Theory]
    [InlineData("round_robin", 0)]
    [InlineData("round_robin", 30_000)]
    [InlineData("least_outstanding_requests", 0)]
    [InlineData("weighted_random", 0)]
    public void Picking_allocates_nothing(string algorithm, long slowStartMs)
    {
        var targets = TestTargets.Many(5);
        targets[2].SlowStartSinceTicks = 0;
        targets[4].RoutingWeight = 0.5;
        var selector = new TargetSelector(TargetBalancerFactory.Create(algorithm, slowStartMs), slowStartMs, MinimumHealthyTargets.Default, targets);
        for (int i = 0; i < 100; i++) selector.Pick(i);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) selector.Pick(10_000 + i);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Selector_reads_its_settings_from_target_group_attributes()
    {
        var attributes = new AttributeSet(
            ImmutableSortedDictionary<string, string>.Empty
                .Add(TargetGroupAttributes.Algorithm, "round_robin")
                .Add(TargetGroupAttributes.SlowStart, "30"),
            TargetGroupAttributes.Application);
        var selector = TargetSelector.FromAttributes(attributes);
        Assert.Equal(30_000, Assert.IsType<RoundRobinBalancer>(selector.Balancer).SlowStartMs);
    }
}
