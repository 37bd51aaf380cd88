namespace Elbe.Model.Resources;

/// <summary>
/// The health check a new target group gets for the fields its creator left out. The defaults differ by the kind
/// of group (ALB HTTP/HTTPS, gRPC, Lambda, NLB, NLB alb-type, GWLB GENEVE) and, for NLB groups, by the health
/// check protocol chosen.
/// </summary>
public static class HealthCheckDefaults
{
    public const string GrpcHealthCheckPath = "/AWS.ALB/healthcheck";
    public const string GrpcDefaultCode = "12";

    /// <param name="protocol">The target group protocol (null for Lambda).</param>
    /// <param name="healthCheckProtocol">The health check protocol the creator asked for, if any.</param>
    public static HealthCheckSettings For(string? protocol, string targetType, string? protocolVersion, string? healthCheckProtocol)
    {
        if (targetType == "lambda")
            return new HealthCheckSettings { Enabled = false, Protocol = "HTTP", IntervalSeconds = 35, TimeoutSeconds = 30, HealthyThresholdCount = 5, UnhealthyThresholdCount = 5 };

        if (protocol is "HTTP" or "HTTPS")
        {
            var grpc = protocolVersion == "GRPC";
            return new HealthCheckSettings
            {
                Protocol = healthCheckProtocol ?? protocol,
                Path = grpc ? GrpcHealthCheckPath : "/",
                MatcherHttpCode = "200",
                MatcherGrpcCode = grpc ? GrpcDefaultCode : null,
            };
        }

        if (protocol == "GENEVE")
        {
            return new HealthCheckSettings
            {
                Protocol = healthCheckProtocol ?? "TCP",
                Port = "80",
                IntervalSeconds = 10,
                TimeoutSeconds = 5,
                MatcherHttpCode = "200-399",
            };
        }

        // NLB groups: TCP checks unless asked otherwise (alb-type groups can only use HTTP or HTTPS checks).
        var checkProtocol = healthCheckProtocol ?? (targetType == "alb" ? "HTTP" : "TCP");
        return new HealthCheckSettings
        {
            Protocol = checkProtocol,
            TimeoutSeconds = checkProtocol == "HTTP" ? 6 : 10,
            MatcherHttpCode = "200-399",
        };
    }
}
