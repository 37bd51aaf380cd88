namespace Elbe.Routing.Health;

public enum HealthCheckOutcomeKind
{
    Success,
    /// <summary>No complete response within HealthCheckTimeoutSeconds.</summary>
    Timeout,
    /// <summary>A response whose status code (or grpc-status) is not in the matcher.</summary>
    ResponseCodeMismatch,
    /// <summary>Connection refused or reset, TLS failure, or a response that could not be parsed.</summary>
    ConnectionFailure,
}
