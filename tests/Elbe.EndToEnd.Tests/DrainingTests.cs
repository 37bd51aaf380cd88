using System.Net;
using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests;

/// <summary>Deregistration by template edit while requests are in flight on the target being removed.</summary>
public sealed class DrainingTests
{
    [Fact]
    public async Task An_in_flight_request_completes_on_a_draining_target_while_new_requests_go_elsewhere()
    {
        await using var a = await BackendServer.StartAsync("a");
        await using var b = await BackendServer.StartAsync("b");
        await using var elbe = await ElbeHarness.StartAsync(Template(delaySeconds: 5, a.Port, b.Port));
        await elbe.WaitForHealthyAsync("Pool", a.Port, b.Port);

        var slowRequests = await StartSlowRequestsUntilInFlightOnAsync(elbe, a, b, milliseconds: 3000);

        await elbe.ReloadAsync(Template(delaySeconds: 5, b.Port));

        var draining = elbe.TargetHealth("Pool", a.Port);
        Assert.True(draining?.TargetHealth.State == "draining", $"The removed target should be draining, is {draining?.TargetHealth.ToString() ?? "not listed"}");
        Assert.Equal("Target.DeregistrationInProgress", draining!.TargetHealth.Reason);

        var servedByABefore = a.TotalRequests;
        var fresh = await RequestBurst.BackendsAsync(elbe.Client, elbe.Url("/"), count: 10, concurrency: 1);
        Assert.True(fresh.Count("b") == 10, $"New requests must avoid the draining target: {fresh.Summary()}");
        Assert.Equal(servedByABefore, a.TotalRequests);

        foreach (var request in slowRequests)
        {
            using var response = await request;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal(0, a.InFlight);

        await Eventually.TrueAsync(
            () => elbe.TargetHealth("Pool", a.Port) is null,
            "the drained target should leave DescribeTargetHealth once the deregistration delay has passed");
    }

    [Fact]
    public async Task A_request_still_running_when_the_deregistration_delay_ends_is_cut_with_a_5xx()
    {
        await using var a = await BackendServer.StartAsync("a");
        await using var b = await BackendServer.StartAsync("b");
        await using var elbe = await ElbeHarness.StartAsync(Template(delaySeconds: 1, a.Port, b.Port));
        await elbe.WaitForHealthyAsync("Pool", a.Port, b.Port);

        var slowRequests = await StartSlowRequestsUntilInFlightOnAsync(elbe, a, b, milliseconds: 4000);
        await elbe.ReloadAsync(Template(delaySeconds: 1, b.Port));

        var statuses = new List<HttpStatusCode>();
        foreach (var request in slowRequests)
        {
            using var response = await request;
            statuses.Add(response.StatusCode);
        }
        // The request that landed on b (if any) finishes normally; the one on a outlives the 1 s delay.
        Assert.Contains(HttpStatusCode.BadGateway, statuses);
    }

    private static string Template(int delaySeconds, params int[] ports) => new CfnTemplate()
        .LoadBalancer()
        .TargetGroup("Pool", ports, new Dictionary<string, string> { ["deregistration_delay.timeout_seconds"] = delaySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        .Listener(CfnActions.Forward("Pool"))
        .ToString();

    /// <summary>Starts slow requests one at a time (round robin reaches every target within a few) until one runs on <paramref name="target"/>.</summary>
    private static async Task<List<Task<HttpResponseMessage>>> StartSlowRequestsUntilInFlightOnAsync(ElbeHarness elbe, BackendServer target, BackendServer other, int milliseconds)
    {
        var started = new List<Task<HttpResponseMessage>>();
        for (var attempt = 0; attempt < 4 && target.InFlight == 0; attempt++)
        {
            started.Add(elbe.Client.GetAsync(elbe.Url($"/slow?ms={milliseconds}")));
            // Only decide whether another request is needed once this one has reached a backend.
            await Eventually.TrueAsync(
                () => target.InFlight + other.InFlight >= started.Count,
                $"slow request {started.Count} never reached a backend");
        }
        Assert.True(target.InFlight > 0, $"No slow request reached {target.Name} after {started.Count} attempts.");
        return started;
    }
}
