using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Templates;

/// <summary>AWS::ElasticLoadBalancingV2::TargetGroup properties to a <see cref="TargetGroup"/>, health-check gaps filled with ALB defaults.</summary>
internal static class TargetGroupReader
{
    private static readonly string[] Allowed =
    [
        "Name", "Protocol", "Port", "ProtocolVersion", "TargetType", "VpcId", "HealthCheckEnabled", "HealthCheckPath", "HealthCheckPort",
        "HealthCheckProtocol", "HealthCheckIntervalSeconds", "HealthCheckTimeoutSeconds", "HealthyThresholdCount", "UnhealthyThresholdCount",
        "Matcher", "Targets", "TargetGroupAttributes", "Tags", "IpAddressType",
    ];
    private static readonly string[] Ignored = ["TargetControlPort"];

    public static TargetGroup Read(StackResource resource, TemplateMap properties, ResourceIdentity identity, TemplateDiagnostics diagnostics)
    {
        var p = new PropertyReader(properties, diagnostics, resource.LogicalId, resource.Type, Allowed, Ignored);
        p.String("Name");
        var targetType = p.String("TargetType") ?? "instance";
        var lambda = targetType == "lambda";
        var protocol = p.String("Protocol") ?? (lambda ? null : "HTTP");
        var version = p.String("ProtocolVersion") ?? (protocol is "HTTP" or "HTTPS" ? "HTTP1" : null);

        // CloudFormation creates the group as CreateTargetGroup does: omitted fields take the API's defaults for its kind.
        var defaults = HealthCheckDefaults.For(protocol, targetType, version, p.String("HealthCheckProtocol"));
        var matcher = p.Object("Matcher", "Matcher", ["HttpCode", "GrpcCode"]);
        var health = defaults with
        {
            Enabled = p.Bool("HealthCheckEnabled") ?? defaults.Enabled,
            Protocol = p.String("HealthCheckProtocol") ?? defaults.Protocol,
            Port = p.String("HealthCheckPort") ?? defaults.Port,
            Path = p.String("HealthCheckPath") ?? defaults.Path,
            IntervalSeconds = p.Int("HealthCheckIntervalSeconds") ?? defaults.IntervalSeconds,
            TimeoutSeconds = p.Int("HealthCheckTimeoutSeconds") ?? defaults.TimeoutSeconds,
            HealthyThresholdCount = p.Int("HealthyThresholdCount") ?? defaults.HealthyThresholdCount,
            UnhealthyThresholdCount = p.Int("UnhealthyThresholdCount") ?? defaults.UnhealthyThresholdCount,
            MatcherHttpCode = matcher?.String("HttpCode") ?? defaults.MatcherHttpCode,
            MatcherGrpcCode = matcher?.String("GrpcCode") ?? defaults.MatcherGrpcCode,
        };

        var targets = p.Objects("Targets", "TargetDescription", ["Id", "Port", "AvailabilityZone"])
            .Select(t => (Id: t.String("Id", required: true), Port: t.Int("Port"), Zone: t.String("AvailabilityZone")))
            .Where(t => t.Id is not null)
            .Select(t => new TargetDescription(t.Id!, t.Port, t.Zone));

        return new TargetGroup
        {
            Arn = identity.Arn,
            Name = identity.Name,
            Protocol = protocol,
            Port = p.Int("Port"),
            VpcId = p.String("VpcId") ?? Zones.DefaultVpcId,
            TargetType = targetType,
            ProtocolVersion = version,
            IpAddressType = p.String("IpAddressType") ?? "ipv4",
            HealthCheck = health,
            Targets = [.. targets],
            Attributes = LoadBalancerReader.AttributeMap(p, "TargetGroupAttributes", diagnostics),
            Tags = LoadBalancerReader.Tags(p),
        };
    }
}
