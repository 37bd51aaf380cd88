using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Api.Shapes;

/// <summary>
/// The ELBv2 <c>TargetGroup</c> shape as AWS describes it: Lambda groups have no protocol, port or VPC; a TCP
/// health check has no path or matcher; gRPC groups match on GrpcCode instead of HttpCode.
/// </summary>
public static class TargetGroupShape
{
    public static void Write(AwsXmlWriter w, TargetGroup group, IEnumerable<string> loadBalancerArns)
    {
        var lambda = group.TargetType == "lambda";
        var hc = group.HealthCheck;
        w.Value("TargetGroupArn", group.Arn)
            .Value("TargetGroupName", group.Name);
        if (!lambda)
        {
            w.Value("Protocol", group.Protocol)
                .Value("Port", group.Port)
                .Value("VpcId", group.VpcId);
        }
        if (!lambda || hc.Enabled)
        {
            w.Value("HealthCheckProtocol", hc.Protocol);
            if (!lambda) w.Value("HealthCheckPort", hc.Port);
        }
        w.Value("HealthCheckEnabled", hc.Enabled)
            .Value("HealthCheckIntervalSeconds", hc.IntervalSeconds)
            .Value("HealthCheckTimeoutSeconds", hc.TimeoutSeconds)
            .Value("HealthyThresholdCount", hc.HealthyThresholdCount)
            .Value("UnhealthyThresholdCount", hc.UnhealthyThresholdCount);
        if (hc.Protocol != "TCP")
        {
            w.Value("HealthCheckPath", hc.Path);
            w.Struct("Matcher", m =>
            {
                if (group.ProtocolVersion == "GRPC") m.Value("GrpcCode", hc.MatcherGrpcCode ?? HealthCheckDefaults.GrpcDefaultCode);
                else m.Value("HttpCode", hc.MatcherHttpCode);
            });
        }
        w.StringList("LoadBalancerArns", loadBalancerArns)
            .Value("TargetType", group.TargetType);
        if (group.Protocol is "HTTP" or "HTTPS") w.Value("ProtocolVersion", group.ProtocolVersion);
        if (!lambda) w.Value("IpAddressType", group.IpAddressType);
        w.Value("TargetControlPort", group.TargetControlPort);
    }
}
