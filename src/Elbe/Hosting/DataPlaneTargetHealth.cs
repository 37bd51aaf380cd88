using Elbe.ControlPlane.Api;
using Elbe.DataPlane;

namespace Elbe.Hosting;

/// <summary>Lets DescribeTargetHealth read the data plane's live target states (a read; the data plane never calls out).</summary>
public sealed class DataPlaneTargetHealth(LoadBalancingDataPlane dataPlane) : ITargetHealthSource
{
    public IReadOnlyList<TargetHealthReport> Describe(string targetGroupArn)
    {
        var described = dataPlane.DescribeTargetHealth(targetGroupArn);
        var reports = new List<TargetHealthReport>(described.Count);
        foreach (var (target, port, health) in described) reports.Add(new TargetHealthReport(target.Description, port, health));
        return reports;
    }
}
