using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests;

/// <summary>Health checks against real /health endpoints, and how routing reacts to their verdicts.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task A_target_starts_initial_then_turns_healthy_after_its_first_passing_check()
    {
        await using var backend = await BackendServer.StartAsync("a");
        // Holding the first answer back keeps the target in its initial state long enough to observe it.
        backend.SetHealthDelay(TimeSpan.FromSeconds(1.5));
        var template = new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Pool", [backend.Port], healthCheck: new HealthCheckTemplate { IntervalSeconds = 10, TimeoutSeconds = 5 })
            .Listener(CfnActions.Forward("Pool"));
        await using var elbe = await ElbeHarness.StartAsync(template.ToString(), timeScale: 0.5);

        var initial = elbe.TargetHealth("Pool", backend.Port);
        Assert.NotNull(initial);
        Assert.Equal("initial", initial.TargetHealth.State);
        Assert.Contains(initial.TargetHealth.Reason, new[] { "Elb.RegistrationInProgress", "Elb.InitialHealthChecking" });
        Assert.Equal("127.0.0.1", initial.Target.Id);

        backend.SetHealthDelay(TimeSpan.Zero);
        var healthy = await elbe.WaitForTargetStateAsync("Pool", backend.Port, "healthy", TimeSpan.FromSeconds(15));
        Assert.Null(healthy.TargetHealth.Reason);
    }

    [Fact]
    public async Task A_target_answering_500_turns_unhealthy_gets_no_traffic_and_recovers()
    {
        await using var a = await BackendServer.StartAsync("a");
        await using var b = await BackendServer.StartAsync("b");
        var template = new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Pool", [a.Port, b.Port])
            .Listener(CfnActions.Forward("Pool"));
        await using var elbe = await ElbeHarness.StartAsync(template.ToString());
        await elbe.WaitForHealthyAsync("Pool", a.Port, b.Port);

        a.SetHealthy(false);
        var unhealthy = await elbe.WaitForTargetStateAsync("Pool", a.Port, "unhealthy");
        Assert.Equal("Target.ResponseCodeMismatch", unhealthy.TargetHealth.Reason);

        var servedBefore = a.TotalRequests;
        var whileSick = await RequestBurst.BackendsAsync(elbe.Client, elbe.Url("/"), count: 20, concurrency: 1);
        Assert.True(whileSick.Count("b") == 20, $"Only the healthy target should serve: {whileSick.Summary()}");
        Assert.Equal(servedBefore, a.TotalRequests);

        a.SetHealthy(true);
        await elbe.WaitForTargetStateAsync("Pool", a.Port, "healthy");
        var recovered = await RequestBurst.BackendsAsync(elbe.Client, elbe.Url("/"), count: 20, concurrency: 1);
        Assert.True(recovered.Count("a") > 0, $"The recovered target should serve again: {recovered.Summary()}");
    }

    [Fact]
    public async Task When_every_target_is_unhealthy_traffic_fails_open_to_all_of_them()
    {
        await using var a = await BackendServer.StartAsync("a");
        await using var b = await BackendServer.StartAsync("b");
        var template = new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Pool", [a.Port, b.Port])
            .Listener(CfnActions.Forward("Pool"));
        await using var elbe = await ElbeHarness.StartAsync(template.ToString());
        await elbe.WaitForHealthyAsync("Pool", a.Port, b.Port);

        a.SetHealthy(false);
        b.SetHealthy(false);
        await elbe.WaitForTargetStateAsync("Pool", a.Port, "unhealthy");
        await elbe.WaitForTargetStateAsync("Pool", b.Port, "unhealthy");

        var backends = await RequestBurst.BackendsAsync(elbe.Client, elbe.Url("/"), count: 20, concurrency: 1);
        Assert.True(backends.Count("a") > 0 && backends.Count("b") > 0 && backends.Count("a") + backends.Count("b") == 20,
            $"With every target unhealthy all of them should still serve: {backends.Summary()}");
    }

    [Fact]
    public async Task A_matcher_range_accepts_any_code_inside_it()
    {
        await using var backend = await BackendServer.StartAsync("a");
        var template = new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Pool", [backend.Port], healthCheck: new HealthCheckTemplate { Path = "/status/204", MatcherHttpCode = "200-299" })
            .TargetGroup("Strict", [backend.Port], healthCheck: new HealthCheckTemplate { Path = "/status/204", MatcherHttpCode = "200" })
            .Listener(CfnActions.Forward("Pool"))
            .Rule("UseStrict", 10, """
                - Field: path-pattern
                  PathPatternConfig:
                    Values: ['/strict/*']
                """, CfnActions.Forward("Strict"));
        await using var elbe = await ElbeHarness.StartAsync(template.ToString());

        await elbe.WaitForTargetStateAsync("Pool", backend.Port, "healthy");
        var strict = await elbe.WaitForTargetStateAsync("Strict", backend.Port, "unhealthy");
        Assert.Equal("Target.ResponseCodeMismatch", strict.TargetHealth.Reason);
    }

    [Fact]
    public async Task Health_checks_identify_themselves_as_the_elb_health_checker()
    {
        await using var backend = await BackendServer.StartAsync("a");
        var template = new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Pool", [backend.Port])
            .Listener(CfnActions.Forward("Pool"));
        await using var elbe = await ElbeHarness.StartAsync(template.ToString());

        await elbe.WaitForHealthyAsync("Pool", backend.Port);

        Assert.Equal("ELB-HealthChecker/2.0", backend.LastHealthCheckUserAgent);
        Assert.Equal(0, backend.TotalRequests);
    }

    [Fact]
    public async Task Targets_of_a_group_no_listener_uses_are_unused()
    {
        await using var backend = await BackendServer.StartAsync("a");
        var template = new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Pool", [backend.Port])
            .TargetGroup("Idle", [backend.Port])
            .Listener(CfnActions.Forward("Pool"));
        await using var elbe = await ElbeHarness.StartAsync(template.ToString());
        await elbe.WaitForHealthyAsync("Pool", backend.Port);

        var idle = elbe.TargetHealth("Idle", backend.Port);

        Assert.NotNull(idle);
        Assert.Equal(("unused", "Target.NotInUse"), (idle.TargetHealth.State, idle.TargetHealth.Reason));
    }
}
