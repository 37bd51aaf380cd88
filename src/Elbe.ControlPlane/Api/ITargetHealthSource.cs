using Elbe.Model.Resources;
using Elbe.Routing.Health;

namespace Elbe.ControlPlane.Api;

/// <summary>Live target health, read from the data plane for DescribeTargetHealth (the data plane never calls back).</summary>
public interface ITargetHealthSource
{
    /// <summary>Every target the data plane tracks for the group, draining ones included; empty when unknown.</summary>
    IReadOnlyList<TargetHealthReport> Describe(string targetGroupArn);
}

public sealed record TargetHealthReport(TargetDescription Target, string HealthCheckPort, TargetHealth Health);
