using Elbe.Routing.Health;
using Elbe.Routing.Targets;

namespace Elbe.Routing.Tests.Targets;

public class TargetSelectorTests
{
    [Fact]
    public void No_registered_targets_means_no_pick()
    {
        var selector = NewSelector();
        Assert.Null(selector.Pick(0));
        Assert.True(selector.Candidates.IsEmpty);
    }

    [Fact]
    public void Only_healthy_targets_are_routable_when_some_are_healthy()
    {
        var healthy = TestTargets.Make(1);
        var initial = TestTargets.Make(2, TargetHealth.Initial);
        var unhealthy = TestTargets.Make(3, TestTargets.Unhealthy);
        var selector = NewSelector(healthy, initial, unhealthy);

        Assert.Equal([healthy], selector.Candidates.Routable.ToArray());
        Assert.False(selector.Candidates.IsFailingOpen);
        Assert.All(Enumerable.Range(0, 10), _ => Assert.Same(healthy, selector.Pick(0)));
    }

    [Fact]
    public void Fails_open_to_every_target_when_none_is_healthy()
    {
        var targets = new[] { TestTargets.Make(1, TestTargets.Unhealthy), TestTargets.Make(2, TestTargets.Unhealthy), TestTargets.Make(3, TargetHealth.Initial) };
        var selector = NewSelector(targets);

        Assert.True(selector.Candidates.IsFailingOpen);
        Assert.Equal(targets, selector.Candidates.Routable.ToArray());
        var counts = TestTargets.Count(() => selector.Pick(0), 300);
        Assert.All(targets, t => Assert.Equal(100, counts[t]));
    }

    [Fact]
    public void Draining_targets_never_get_new_requests_even_when_failing_open()
    {
        var a = TestTargets.Make(1);
        var b = TestTargets.Make(2);
        var selector = NewSelector(a, b);

        selector.Deregister(a);
        Assert.Equal(TargetHealthStates.Draining, a.Health.State);
        Assert.Equal([b], selector.Candidates.Routable.ToArray());

        selector.ApplyHealth(b, TestTargets.Unhealthy, 0);
        Assert.True(selector.Candidates.IsFailingOpen);
        Assert.Equal([b], selector.Candidates.Routable.ToArray());

        selector.Deregister(b);
        Assert.Null(selector.Pick(0));
    }

    [Fact]
    public void Health_checks_do_not_revive_a_draining_target()
    {
        var a = TestTargets.Make(1);
        var selector = NewSelector(a, TestTargets.Make(2));
        selector.Deregister(a);
        selector.ApplyHealth(a, TargetHealth.Healthy, 0);
        Assert.Equal(TargetHealthStates.Draining, a.Health.State);
        Assert.DoesNotContain(a, selector.Candidates.Routable.ToArray());
    }

    [Fact]
    public void Removed_targets_are_forgotten()
    {
        var a = TestTargets.Make(1);
        var b = TestTargets.Make(2);
        var selector = NewSelector(a, b);
        selector.Deregister(a);
        selector.Remove(a);
        Assert.Equal([b], selector.Registered.ToArray());
    }

    [Fact]
    public void Health_transitions_rebuild_the_candidate_set()
    {
        var a = TestTargets.Make(1, TargetHealth.Initial);
        var b = TestTargets.Make(2, TargetHealth.Initial);
        var selector = NewSelector();
        selector.Register([a, b]);
        Assert.True(selector.Candidates.IsFailingOpen);

        selector.ApplyHealth(a, TargetHealth.Healthy, 0);
        Assert.Equal([a], selector.Candidates.Routable.ToArray());

        selector.ApplyHealth(b, TargetHealth.Healthy, 0);
        Assert.Equal([a, b], selector.Candidates.Routable.ToArray());

        selector.ApplyHealth(a, TestTargets.Unhealthy, 0);
        Assert.Equal([b], selector.Candidates.Routable.ToArray());
    }

    [Fact]
    public void Minimum_healthy_count_routes_to_all_when_breached()
    {
        var targets = TestTargets.Many(5);
        targets[3].Health = TestTargets.Unhealthy;
        targets[4].Health = TestTargets.Unhealthy;

        var atThree = NewSelector(new MinimumHealthyTargets(3), targets);
        Assert.False(atThree.Candidates.IsFailingOpen);
        Assert.Equal(3, atThree.Candidates.Routable.Length);

        var atFour = NewSelector(new MinimumHealthyTargets(4), targets);
        Assert.True(atFour.Candidates.IsFailingOpen);
        Assert.Equal(5, atFour.Candidates.Routable.Length);
    }

    [Fact]
    public void Minimum_healthy_percentage_routes_to_all_when_breached()
    {
        var targets = TestTargets.Many(10);
        for (int i = 0; i < 5; i++) targets[i].Health = TestTargets.Unhealthy;

        var atHalf = NewSelector(new MinimumHealthyTargets(1, 50), targets);
        Assert.False(atHalf.Candidates.IsFailingOpen);
        Assert.Equal(5, atHalf.Candidates.Routable.Length);

        var atSixty = NewSelector(new MinimumHealthyTargets(1, 60), targets);
        Assert.True(atSixty.Candidates.IsFailingOpen);
        Assert.Equal(10, atSixty.Candidates.Routable.Length);
    }

    [Fact]
    public void Thresholds_count_draining_targets_out_of_scope()
    {
        var targets = TestTargets.Many(4);
        targets[0].Health = TestTargets.Unhealthy;
        var selector = NewSelector(new MinimumHealthyTargets(1, 75), targets);
        Assert.False(selector.Candidates.IsFailingOpen);

        selector.Deregister(targets[1]);
        // 2 healthy of 3 in scope is below 75 %.
        Assert.True(selector.Candidates.IsFailingOpen);
        Assert.Equal([targets[0], targets[2], targets[3]], selector.Candidates.Routable.ToArray());
    }

    [Fact]
    public void Thresholds_read_from_attributes()
    {
        var set = new Elbe.Model.Attributes.AttributeSet(
            System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty
                .Add(MinimumHealthyTargets.CountAttribute, "2")
                .Add(MinimumHealthyTargets.PercentageAttribute, "40"),
            Elbe.Model.Attributes.TargetGroupAttributes.Application);
        Assert.Equal(new MinimumHealthyTargets(2, 40), MinimumHealthyTargets.FromAttributes(set));

        var defaults = new Elbe.Model.Attributes.AttributeSet(
            System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty,
            Elbe.Model.Attributes.TargetGroupAttributes.Application);
        Assert.Equal(MinimumHealthyTargets.Default, MinimumHealthyTargets.FromAttributes(defaults));
    }

    [Fact]
    public void Sticky_lookup_finds_only_routable_targets_by_endpoint()
    {
        var a = TestTargets.Make(1);
        var b = TestTargets.Make(2, TestTargets.Unhealthy);
        var selector = NewSelector(a, b);
        Assert.True(selector.Candidates.TryGetRoutable("10.0.0.1:80".AsSpan(), out var found));
        Assert.Same(a, found);
        Assert.False(selector.Candidates.TryGetRoutable("10.0.0.2:80".AsSpan(), out _));
    }

    [Fact]
    public void Registering_the_same_target_twice_keeps_one_entry()
    {
        var a = TestTargets.Make(1);
        var selector = NewSelector();
        selector.Register([a]);
        selector.Register([a]);
        Assert.Equal(1, selector.Registered.Length);
    }

    private static TargetSelector NewSelector(params TargetState[] existing) => NewSelector(MinimumHealthyTargets.Default, existing);

    private static TargetSelector NewSelector(MinimumHealthyTargets minimum, params TargetState[] existing) =>
        new(new RoundRobinBalancer(), 0, minimum, existing);
}
