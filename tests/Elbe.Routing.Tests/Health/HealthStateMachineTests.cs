using Elbe.Routing.Health;

namespace Elbe.Routing.Tests.Health;

public class HealthStateMachineTests
{
    [Fact]
    public void Starts_initial() =>
        Assert.Equal(TargetHealth.Initial, new HealthStateMachine(5, 2).Current);

    [Fact]
    public void Initial_becomes_healthy_after_one_success()
    {
        var machine = new HealthStateMachine(5, 2);
        Assert.True(machine.Record(HealthCheckOutcome.Success));
        Assert.Equal(TargetHealth.Healthy, machine.Current);
        Assert.False(machine.Record(HealthCheckOutcome.Success));
    }

    [Fact]
    public void Initial_becomes_unhealthy_after_the_unhealthy_threshold()
    {
        var machine = new HealthStateMachine(5, 3);
        Assert.False(machine.Record(HealthCheckOutcome.Timeout));
        Assert.False(machine.Record(HealthCheckOutcome.Timeout));
        Assert.Equal(TargetHealthStates.Initial, machine.Current.State);
        Assert.True(machine.Record(HealthCheckOutcome.Timeout));
        Assert.Equal(new TargetHealth("unhealthy", "Target.Timeout", "Request timed out"), machine.Current);
    }

    [Fact]
    public void Healthy_becomes_unhealthy_after_consecutive_failures_only()
    {
        var machine = new HealthStateMachine(5, 2, TargetHealth.Healthy);
        Assert.False(machine.Record(HealthCheckOutcome.CodeMismatch(404)));
        Assert.False(machine.Record(HealthCheckOutcome.Success));
        Assert.False(machine.Record(HealthCheckOutcome.CodeMismatch(404)));
        Assert.Equal(TargetHealth.Healthy, machine.Current);

        Assert.True(machine.Record(HealthCheckOutcome.CodeMismatch(404)));
        Assert.Equal(new TargetHealth("unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [404]"), machine.Current);
    }

    [Fact]
    public void Unhealthy_needs_the_healthy_threshold_of_consecutive_successes()
    {
        var machine = new HealthStateMachine(3, 2, TargetHealth.Healthy);
        machine.Record(HealthCheckOutcome.ConnectionFailure);
        Assert.True(machine.Record(HealthCheckOutcome.ConnectionFailure));
        Assert.Equal(new TargetHealth("unhealthy", "Target.FailedHealthChecks", "Health checks failed"), machine.Current);

        Assert.False(machine.Record(HealthCheckOutcome.Success));
        Assert.False(machine.Record(HealthCheckOutcome.Success));
        Assert.False(machine.Record(HealthCheckOutcome.ConnectionFailure));
        Assert.False(machine.Record(HealthCheckOutcome.Success));
        Assert.False(machine.Record(HealthCheckOutcome.Success));
        Assert.Equal(TargetHealthStates.Unhealthy, machine.Current.State);
        Assert.True(machine.Record(HealthCheckOutcome.Success));
        Assert.Equal(TargetHealth.Healthy, machine.Current);
    }

    [Fact]
    public void Unhealthy_reason_follows_the_latest_failure()
    {
        var machine = new HealthStateMachine(5, 2, TargetHealth.Healthy);
        machine.Record(HealthCheckOutcome.Timeout);
        machine.Record(HealthCheckOutcome.Timeout);
        Assert.Equal("Target.Timeout", machine.Current.Reason);

        Assert.True(machine.Record(HealthCheckOutcome.CodeMismatch(503)));
        Assert.Equal("Health checks failed with these codes: [503]", machine.Current.Description);
        Assert.False(machine.Record(HealthCheckOutcome.CodeMismatch(503)));
    }

    [Fact]
    public void Rejects_thresholds_below_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HealthStateMachine(0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HealthStateMachine(2, 0));
    }
}
