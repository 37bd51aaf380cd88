using Elbe.EndToEnd.Tests.Infrastructure;
using Elbe.Hosting;

namespace Elbe.EndToEnd.Tests.Grpc;

/// <summary>
/// Waits for a target to be unhealthy for a given reason. An unhealthy target's reason follows its latest failed
/// check, and on a loaded machine one check may time out instead of failing the way under test, so the reason is
/// waited for rather than read once.
/// </summary>
public static class UnhealthyReason
{
    public static Task<TargetHealthDescription> WaitAsync(ElbeHarness elbe, string targetGroup, int port, string reason, string? description = null) =>
        Eventually.ValueAsync(
            () => elbe.TargetHealth(targetGroup, port),
            health => health?.TargetHealth.State == "unhealthy" && health.TargetHealth.Reason == reason
                && (description is null || health.TargetHealth.Description == description),
            health => $"target :{port} of {targetGroup} should be unhealthy with {reason} {description} but is {health?.TargetHealth.ToString() ?? "not listed"}");
}
