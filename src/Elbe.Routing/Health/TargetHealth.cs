namespace Elbe.Routing.Health;

/// <summary>A target's health as DescribeTargetHealth reports it: state, reason code, description.</summary>
public sealed record TargetHealth(string State, string? Reason = null, string? Description = null)
{
    public static readonly TargetHealth Initial = new(TargetHealthStates.Initial, "Elb.InitialHealthChecking", "Initial health checks in progress");
    public static readonly TargetHealth Healthy = new(TargetHealthStates.Healthy);
    public static readonly TargetHealth Draining = new(TargetHealthStates.Draining, "Target.DeregistrationInProgress", "Target deregistration is in progress");
    public static readonly TargetHealth NotInUse = new(TargetHealthStates.Unused, "Target.NotInUse", "Target group is not configured to receive traffic from the load balancer");
    public static readonly TargetHealth ZoneNotEnabled = new(TargetHealthStates.Unused, "Target.NotInUse", "Target is in an Availability Zone that is not enabled for the load balancer");
    public static readonly TargetHealth NotRegistered = new(TargetHealthStates.Unused, "Target.NotRegistered", "Target is not registered to the target group");
}

public static class TargetHealthStates
{
    public const string Initial = "initial";
    public const string Healthy = "healthy";
    public const string Unhealthy = "unhealthy";
    /// <summary>NLB: failing checks, its open flows kept for target_health_state.unhealthy.draining_interval_seconds (fact sheet 2.6).</summary>
    public const string UnhealthyDraining = "unhealthy.draining";
    public const string Unused = "unused";
    public const string Draining = "draining";
    public const string Unavailable = "unavailable";
}
