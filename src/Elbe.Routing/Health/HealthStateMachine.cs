using System.Globalization;

namespace Elbe.Routing.Health;

/// <summary>
/// Turns one target's sequence of health check outcomes into its <see cref="TargetHealth"/> (fact sheet 0.3,
/// 0.4): <c>initial</c> becomes healthy after one success or unhealthy after UnhealthyThresholdCount
/// consecutive failures; healthy becomes unhealthy after UnhealthyThresholdCount consecutive failures;
/// unhealthy becomes healthy after HealthyThresholdCount consecutive successes.
/// </summary>
/// <remarks>
/// One health checker drives one instance, so it is single-writer and not synchronised; <see cref="Current"/>
/// may be read from any thread. While unhealthy, each further failure refreshes the reason, as
/// DescribeTargetHealth shows the latest cause.
/// </remarks>
public sealed class HealthStateMachine
{
    public const string ResponseCodeMismatchReason = "Target.ResponseCodeMismatch";
    public const string TimeoutReason = "Target.Timeout";
    public const string FailedHealthChecksReason = "Target.FailedHealthChecks";

    private static readonly TargetHealth TimedOut = new(TargetHealthStates.Unhealthy, TimeoutReason, "Request timed out");
    private static readonly TargetHealth Failed = new(TargetHealthStates.Unhealthy, FailedHealthChecksReason, "Health checks failed");

    private readonly int _healthyThreshold;
    private readonly int _unhealthyThreshold;
    private volatile TargetHealth _current;
    private int _consecutiveSuccesses;
    private int _consecutiveFailures;

    public HealthStateMachine(int healthyThreshold, int unhealthyThreshold, TargetHealth? initial = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(healthyThreshold, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(unhealthyThreshold, 1);
        _healthyThreshold = healthyThreshold;
        _unhealthyThreshold = unhealthyThreshold;
        _current = initial ?? TargetHealth.Initial;
    }

    public TargetHealth Current => _current;

    /// <summary>Feeds one outcome; true when <see cref="Current"/> changed (state, reason or description).</summary>
    public bool Record(HealthCheckOutcome outcome)
    {
        var before = _current;
        var after = outcome.IsSuccess ? AfterSuccess(before) : AfterFailure(before, outcome);
        if (after.Equals(before)) return false;
        _current = after;
        return true;
    }

    private TargetHealth AfterSuccess(TargetHealth current)
    {
        _consecutiveFailures = 0;
        _consecutiveSuccesses++;
        return current.State switch
        {
            TargetHealthStates.Healthy => current,
            TargetHealthStates.Initial => TargetHealth.Healthy,
            _ => _consecutiveSuccesses >= _healthyThreshold ? TargetHealth.Healthy : current,
        };
    }

    private TargetHealth AfterFailure(TargetHealth current, HealthCheckOutcome outcome)
    {
        _consecutiveSuccesses = 0;
        _consecutiveFailures++;
        if (current.State == TargetHealthStates.Unhealthy) return Describe(outcome);
        return _consecutiveFailures >= _unhealthyThreshold ? Describe(outcome) : current;
    }

    /// <summary>The unhealthy <see cref="TargetHealth"/> AWS reports for a failed check.</summary>
    public static TargetHealth Describe(HealthCheckOutcome outcome) => outcome.Kind switch
    {
        HealthCheckOutcomeKind.Timeout => TimedOut,
        HealthCheckOutcomeKind.ResponseCodeMismatch => new TargetHealth(
            TargetHealthStates.Unhealthy,
            ResponseCodeMismatchReason,
            string.Create(CultureInfo.InvariantCulture, $"Health checks failed with these codes: [{outcome.Code}]")),
        HealthCheckOutcomeKind.ConnectionFailure => Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Kind, "A successful check has no unhealthy description."),
    };
}
