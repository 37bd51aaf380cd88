using Elbe.Model.Resources;
using Elbe.Routing.Health;
using Elbe.Routing.ProtocolVersions;

namespace Elbe.DataPlane.Health;

/// <summary>
/// What one target group's health check sends and how it is judged, parsed once per configuration: the scheme
/// (HealthCheckProtocol), the HTTP version (the group's protocol version: HTTP/2 for HTTP2 and GRPC groups), a
/// gRPC call or a GET, the path, the timeout and the matcher (GrpcCode for GRPC groups, HttpCode otherwise).
/// </summary>
/// <param name="Host">The Host header to send; null sends the target's own address and port. NLB groups send
/// the node's address and the listener's port (fact sheet 0.4).</param>
public sealed record HealthCheckRequest(bool UseTls, TargetProtocolVersion Version, string Path, TimeSpan Timeout, HttpCodeMatcher Matcher, string? Host = null)
{
    public bool IsGrpc => Version == TargetProtocolVersion.Grpc;

    private static readonly HttpCodeMatcher DefaultHttpMatcher = HttpCodeMatcher.Parse("200");
    private static readonly HttpCodeMatcher DefaultGrpcMatcher = HttpCodeMatcher.Parse(HealthCheckDefaults.GrpcDefaultCode, GrpcCodeMin, GrpcCodeMax);

    private const int GrpcCodeMin = 0;
    private const int GrpcCodeMax = 99;

    public static HealthCheckRequest From(HealthCheckSettings check, TargetProtocolVersion version, TimeSpan timeout)
    {
        var matcher = version == TargetProtocolVersion.Grpc
            ? HttpCodeMatcher.TryParse(check.MatcherGrpcCode ?? HealthCheckDefaults.GrpcDefaultCode, GrpcCodeMin, GrpcCodeMax, out var grpc, out _) ? grpc : DefaultGrpcMatcher
            : HttpCodeMatcher.TryParse(check.MatcherHttpCode, out var http) ? http : DefaultHttpMatcher;
        return new HealthCheckRequest(check.Protocol == "HTTPS", version, check.Path, timeout, matcher);
    }
}
