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
    public string TargetProtocol { get; init; } = "TCP";
    public IReadOnlyList<(string Address, int Port)> Targets { get; init; } = [];
    public IReadOnlyDictionary<string, string> TargetGroupAttributes { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> ListenerAttributes { get; init; } = new Dictionary<string, string>();
    public string HealthCheckProtocol { get; init; } = "TCP";
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
            .Append($"      Subnets: [{LoopbackSubnets.SubnetA}, {LoopbackSubnets.SubnetB}]\n")
            .Append($"  {TargetGroup}:\n")
            .Append("    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n")
            .Append("    Properties:\n")
            .Append($"      Name: {TargetGroup}\n")
            .Append("      TargetType: ip\n")
            .Append($"      Protocol: {TargetProtocol}\n")
            .Append("      Port: 80\n")
            .Append("      VpcId: vpc-00000000000000000\n")
            .Append($"      HealthCheckProtocol: {HealthCheckProtocol}\n")
            .Append($"      HealthCheckIntervalSeconds: {HealthCheckIntervalSeconds}\n")
            .Append("      HealthCheckTimeoutSeconds: 2\n")
            .Append("      HealthyThresholdCount: 2\n")
            .Append("      UnhealthyThresholdCount: 2\n");
        if (HealthCheckPort is { } checkPort) yaml.Append($"      HealthCheckPort: '{checkPort}'\n");
        if (Targets.Count > 0)
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
            .Append($"      Port: {ListenerPort}\n")
            .Append($"      Protocol: {Protocol}\n")
            .Append("      DefaultActions:\n")
            .Append("        - Type: forward\n")
            .Append($"          TargetGroupArn: !Ref {TargetGroup}\n");
        Attributes(yaml, "ListenerAttributes", ListenerAttributes);
        return yaml.ToString();
    }

    private static void Attributes(StringBuilder yaml, string property, IReadOnlyDictionary<string, string> attributes)
    {
        if (attributes.Count == 0) return;
        yaml.Append($"      {property}:\n");
        foreach (var (key, value) in attributes)
            yaml.Append($"        - Key: {key}\n").Append($"          Value: {CfnTemplate.Quote(value)}\n");
    }
}
