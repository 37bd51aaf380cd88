using System.Text;
using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests.Network;

/// <summary>
/// A CloudFormation template with one Network Load Balancer (two loopback subnets), one listener and one ip
/// target group, written as a user would. Health checks default to TCP every 5 s (0.5 s at the harness's time scale).
/// </summary>
public sealed record NlbTemplate
{
    public const string LoadBalancer = "Nlb";
    public const string Listener = "Flows";
    public const string TargetGroup = "Targets";
    public const int ListenerPort = 7070;

    public string Protocol { get; init; } = "TCP";
    public int Port { get; init; } = ListenerPort;
    /// <summary>TLS listeners: the imported certificate and the ALPN policy (null leaves AlpnPolicy out).</summary>
    public string? CertificateArn { get; init; }
    public string? AlpnPolicy { get; init; }
    public string TargetProtocol { get; init; } = "TCP";
    public IReadOnlyList<(string Address, int Port)> Targets { get; init; } = [];
    public IReadOnlyDictionary<string, string> TargetGroupAttributes { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> ListenerAttributes { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> LoadBalancerAttributes { get; init; } = new Dictionary<string, string>();
    public string HealthCheckProtocol { get; init; } = "TCP";
    public string HealthCheckPath { get; init; } = "/";
    public string TargetType { get; init; } = "ip";
    public int TargetGroupPort { get; init; } = 80;
    /// <summary>Targets written as YAML list items at column 0 (for !Ref targets); replaces <see cref="Targets"/>.</summary>
    public string? TargetsYaml { get; init; }
    /// <summary>More resources, as YAML at the resources' indentation (two spaces).</summary>
    public string ExtraResources { get; init; } = "";
    public int HealthCheckIntervalSeconds { get; init; } = 5;
    public int? HealthCheckPort { get; init; }

    public NlbTemplate WithTargets(params int[] ports) => this with { Targets = [.. ports.Select(p => ("127.0.0.1", p))] };

    public override string ToString()
    {
        var yaml = new StringBuilder()
            .Append("AWSTemplateFormatVersion: '2010-09-09'\nDescription: Elbe NLB end-to-end test\nResources:\n")
            .Append($"  {LoadBalancer}:\n")
            .Append("    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n")
            .Append("    Properties:\n")
            .Append($"      Name: {LoadBalancer}\n")
            .Append("      Type: network\n")
            .Append($"      Subnets: [{LoopbackSubnets.SubnetA}, {LoopbackSubnets.SubnetB}]\n");
        Attributes(yaml, "LoadBalancerAttributes", LoadBalancerAttributes);
        yaml.Append($"  {TargetGroup}:\n")
            .Append("    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n")
            .Append("    Properties:\n")
            .Append($"      Name: {TargetGroup}\n")
            .Append($"      TargetType: {TargetType}\n")
            .Append($"      Protocol: {TargetProtocol}\n")
            .Append($"      Port: {TargetGroupPort}\n")
            .Append("      VpcId: vpc-00000000000000000\n")
            .Append($"      HealthCheckProtocol: {HealthCheckProtocol}\n")
            .Append($"      HealthCheckIntervalSeconds: {HealthCheckIntervalSeconds}\n")
            .Append("      HealthCheckTimeoutSeconds: 2\n")
            .Append("      HealthyThresholdCount: 2\n")
            .Append("      UnhealthyThresholdCount: 2\n");
        if (HealthCheckPort is { } checkPort) yaml.Append($"      HealthCheckPort: '{checkPort}'\n");
        if (HealthCheckProtocol is "HTTP" or "HTTPS") yaml.Append($"      HealthCheckPath: {HealthCheckPath}\n");
        if (TargetsYaml is not null) yaml.Append("      Targets:\n").Append(CfnTemplate.Indent(TargetsYaml, 8));
        else if (Targets.Count > 0)
        {
            yaml.Append("      Targets:\n");
            foreach (var (address, port) in Targets)
                yaml.Append($"        - Id: {address}\n").Append($"          Port: {port}\n");
        }
        Attributes(yaml, "TargetGroupAttributes", TargetGroupAttributes);
        yaml.Append($"  {Listener}:\n")
            .Append("    Type: AWS::ElasticLoadBalancingV2::Listener\n")
            .Append("    Properties:\n")
            .Append($"      LoadBalancerArn: !Ref {LoadBalancer}\n")
            .Append($"      Port: {Port}\n")
            .Append($"      Protocol: {Protocol}\n");
        if (CertificateArn is not null) yaml.Append("      Certificates:\n").Append($"        - CertificateArn: {CfnTemplate.Quote(CertificateArn)}\n");
        if (AlpnPolicy is not null) yaml.Append($"      AlpnPolicy: [{AlpnPolicy}]\n");
        yaml.Append("      DefaultActions:\n")
            .Append("        - Type: forward\n")
            .Append($"          TargetGroupArn: !Ref {TargetGroup}\n");
        Attributes(yaml, "ListenerAttributes", ListenerAttributes);
        return yaml.Append(ExtraResources).ToString();
    }

    private static void Attributes(StringBuilder yaml, string property, IReadOnlyDictionary<string, string> attributes)
    {
        if (attributes.Count == 0) return;
        yaml.Append($"      {property}:\n");
        foreach (var (key, value) in attributes)
            yaml.Append($"        - Key: {key}\n").Append($"          Value: {CfnTemplate.Quote(value)}\n");
    }
}
