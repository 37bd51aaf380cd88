namespace Elbe.Routing.Health;

/// <summary>The result of one health check probe.</summary>
/// <param name="Code">The status code received; meaningful for <see cref="HealthCheckOutcomeKind.ResponseCodeMismatch"/>.</param>
public readonly record struct HealthCheckOutcome(HealthCheckOutcomeKind Kind, int Code = 0)
{
    public static HealthCheckOutcome Success => new(HealthCheckOutcomeKind.Success);
    public static HealthCheckOutcome Timeout => new(HealthCheckOutcomeKind.Timeout);
    public static HealthCheckOutcome ConnectionFailure => new(HealthCheckOutcomeKind.ConnectionFailure);
    public static HealthCheckOutcome CodeMismatch(int code) => new(HealthCheckOutcomeKind.ResponseCodeMismatch, code);

    public bool IsSuccess => Kind == HealthCheckOutcomeKind.Success;
}
