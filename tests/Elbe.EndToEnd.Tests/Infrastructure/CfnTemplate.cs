using System.Text;

namespace Elbe.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Builds a CloudFormation YAML template the way a user would write one by hand, so every test feeds Elbe the
/// real format. Resource names double as the <c>Name</c> property, so tests can look resources up by either.
/// Conditions and actions are passed as YAML list snippets written at column 0.
/// </summary>
public sealed class CfnTemplate
{
    public const int ListenerPort = 8080;
    public const string DefaultLoadBalancer = "Alb";
    public const string DefaultListener = "Web";
    public const string DefaultHttpsListener = "Secure";
    public const int HttpsListenerPort = 8443;

    private readonly List<string> resources = [];

    public CfnTemplate LoadBalancer(string name = DefaultLoadBalancer, IReadOnlyDictionary<string, string>? attributes = null)
    {
        var yaml = new StringBuilder()
            .Append($"  {name}:\n")
            .Append("    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n")
            .Append("    Properties:\n")
            .Append($"      Name: {name}\n")
            .Append($"      Subnets: [{LoopbackSubnets.SubnetA}, {LoopbackSubnets.SubnetB}]\n");
        AppendAttributes(yaml, "LoadBalancerAttributes", attributes);
        resources.Add(yaml.ToString());
        return this;
    }

    public CfnTemplate TargetGroup(
        string name,
        IEnumerable<int> targetPorts,
        IReadOnlyDictionary<string, string>? attributes = null,
        HealthCheckTemplate? healthCheck = null,
        string protocol = "HTTP",
        string? protocolVersion = null) =>
        TargetGroupAt(name, targetPorts.Select(port => ("127.0.0.1", port)), attributes, healthCheck, protocol, protocolVersion);

    /// <summary>An ip target group whose targets are at the given addresses, so a test can place them in subnets' zones.</summary>
    public CfnTemplate TargetGroupAt(
        string name,
        IEnumerable<(string Address, int Port)> targets,
        IReadOnlyDictionary<string, string>? attributes = null,
        HealthCheckTemplate? healthCheck = null,
        string protocol = "HTTP",
        string? protocolVersion = null)
    {
        var check = healthCheck ?? new HealthCheckTemplate();
        var yaml = new StringBuilder()
            .Append($"  {name}:\n")
            .Append("    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n")
            .Append("    Properties:\n")
            .Append($"      Name: {name}\n")
            .Append("      TargetType: ip\n")
            .Append($"      Protocol: {protocol}\n")
            .Append("      Port: 80\n")
            .Append("      VpcId: vpc-00000000000000000\n")
            .Append(protocolVersion is null ? "" : $"      ProtocolVersion: {protocolVersion}\n")
            .Append(check.Protocol is null ? "" : $"      HealthCheckProtocol: {check.Protocol}\n")
            .Append($"      HealthCheckPath: {check.Path}\n")
            .Append($"      HealthCheckIntervalSeconds: {check.IntervalSeconds}\n")
            .Append($"      HealthCheckTimeoutSeconds: {check.TimeoutSeconds}\n")
            .Append($"      HealthyThresholdCount: {check.HealthyThresholdCount}\n")
            .Append($"      UnhealthyThresholdCount: {check.UnhealthyThresholdCount}\n")
            .Append("      Matcher:\n")
            .Append(check.MatcherGrpcCode is null ? $"        HttpCode: '{check.MatcherHttpCode}'\n" : $"        GrpcCode: '{check.MatcherGrpcCode}'\n");
        var list = targets.ToList();
        if (list.Count > 0)
        {
            yaml.Append("      Targets:\n");
            foreach (var (address, port) in list)
                yaml.Append($"        - Id: {address}\n").Append($"          Port: {port}\n");
        }
        AppendAttributes(yaml, "TargetGroupAttributes", attributes);
        resources.Add(yaml.ToString());
        return this;
    }

    public CfnTemplate Listener(string defaultActions, string name = DefaultListener, string loadBalancer = DefaultLoadBalancer, int port = ListenerPort)
    {
        resources.Add(
            $"  {name}:\n" +
            "    Type: AWS::ElasticLoadBalancingV2::Listener\n" +
            "    Properties:\n" +
            $"      LoadBalancerArn: !Ref {loadBalancer}\n" +
            $"      Port: {port}\n" +
            "      Protocol: HTTP\n" +
            "      DefaultActions:\n" +
            Indent(defaultActions, 8));
        return this;
    }

    /// <summary>An HTTPS listener with a default certificate (an ARN the test imported), optionally a policy, mutual TLS (a YAML mapping at column 0) and attributes.</summary>
    public CfnTemplate HttpsListener(
        string defaultActions,
        string certificateArn,
        string name = DefaultHttpsListener,
        string loadBalancer = DefaultLoadBalancer,
        int port = HttpsListenerPort,
        string? sslPolicy = null,
        string? mutualAuthentication = null,
        IReadOnlyDictionary<string, string>? attributes = null)
    {
        var yaml = new StringBuilder()
            .Append($"  {name}:\n")
            .Append("    Type: AWS::ElasticLoadBalancingV2::Listener\n")
            .Append("    Properties:\n")
            .Append($"      LoadBalancerArn: !Ref {loadBalancer}\n")
            .Append($"      Port: {port}\n")
            .Append("      Protocol: HTTPS\n")
            .Append("      Certificates:\n")
            .Append($"        - CertificateArn: {Quote(certificateArn)}\n");
        if (sslPolicy is not null) yaml.Append($"      SslPolicy: {sslPolicy}\n");
        if (mutualAuthentication is not null) yaml.Append("      MutualAuthentication:\n").Append(Indent(mutualAuthentication, 8));
        yaml.Append("      DefaultActions:\n").Append(Indent(defaultActions, 8));
        AppendAttributes(yaml, "ListenerAttributes", attributes);
        resources.Add(yaml.ToString());
        return this;
    }

    /// <summary>An AWS::ElasticLoadBalancingV2::ListenerCertificate adding certificates (imported ARNs) to a listener's SNI list.</summary>
    public CfnTemplate ListenerCertificates(string name, IEnumerable<string> certificateArns, string listener = DefaultHttpsListener)
    {
        var yaml = new StringBuilder()
            .Append($"  {name}:\n")
            .Append("    Type: AWS::ElasticLoadBalancingV2::ListenerCertificate\n")
            .Append("    Properties:\n")
            .Append($"      ListenerArn: !Ref {listener}\n")
            .Append("      Certificates:\n");
        foreach (var arn in certificateArns) yaml.Append($"        - CertificateArn: {Quote(arn)}\n");
        resources.Add(yaml.ToString());
        return this;
    }

    public CfnTemplate Rule(string name, int priority, string conditions, string actions, string listener = DefaultListener)
    {
        resources.Add(
            $"  {name}:\n" +
            "    Type: AWS::ElasticLoadBalancingV2::ListenerRule\n" +
            "    Properties:\n" +
            $"      ListenerArn: !Ref {listener}\n" +
            $"      Priority: {priority}\n" +
            "      Conditions:\n" +
            Indent(conditions, 8) +
            "      Actions:\n" +
            Indent(actions, 8));
        return this;
    }

    public override string ToString() =>
        "AWSTemplateFormatVersion: '2010-09-09'\nDescription: Elbe end-to-end test\nResources:\n" + string.Concat(resources);

    /// <summary>Quotes a scalar so YAML keeps it a string whatever characters it holds.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string Indent(string block, int spaces)
    {
        var pad = new string(' ', spaces);
        var lines = block.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        return string.Concat(lines.Select(line => line.Length == 0 ? "\n" : pad + line + "\n"));
    }

    private static void AppendAttributes(StringBuilder yaml, string property, IReadOnlyDictionary<string, string>? attributes)
    {
        if (attributes is not { Count: > 0 })
            return;
        yaml.Append($"      {property}:\n");
        foreach (var (key, value) in attributes)
            yaml.Append($"        - Key: {key}\n").Append($"          Value: {Quote(value)}\n");
    }
}

/// <summary>Health-check settings for a template; the defaults, scaled by the test TimeScale, make checks run every half second.</summary>
public sealed record HealthCheckTemplate
{
    public string Path { get; init; } = BackendServer.HealthPath;
    public int IntervalSeconds { get; init; } = 5;
    public int TimeoutSeconds { get; init; } = 2;
    public int HealthyThresholdCount { get; init; } = 2;
    public int UnhealthyThresholdCount { get; init; } = 2;
    public string MatcherHttpCode { get; init; } = "200";
    /// <summary>GRPC groups: written instead of HttpCode when set.</summary>
    public string? MatcherGrpcCode { get; init; }
    /// <summary>HealthCheckProtocol; omitted (the group's protocol) when null.</summary>
    public string? Protocol { get; init; }
}
