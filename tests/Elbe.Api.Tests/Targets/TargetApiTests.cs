using System.Net;
using Elbe.Api.Tests.Infrastructure;
using Elbe.Api.Tests.LoadBalancers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using static Elbe.Api.Tests.TargetGroups.TargetGroupCalls;

namespace Elbe.Api.Tests.Targets;

/// <summary>RegisterTargets, DeregisterTargets and DescribeTargetHealth over signed HTTP, plus the CLI's target-in-service waiter.</summary>
public sealed class TargetApiTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    private SignedApiClient Client => server.Client;

    private async Task<List<(string Id, string Port, string State, string? Reason)>> HealthAsync(string tgArn, Action<ApiRequestParameters>? more = null)
    {
        var p = new ApiRequestParameters().Add("TargetGroupArn", tgArn);
        more?.Invoke(p);
        var response = (await Client.CallAsync("DescribeTargetHealth", p)).AssertSuccess("DescribeTargetHealth");
        return response.Members("TargetHealthDescriptions").Select(m =>
        {
            var target = m.Elements().Single(e => e.Name.LocalName == "Target");
            var health = m.Elements().Single(e => e.Name.LocalName == "TargetHealth");
            return (ApiResponse.Child(target, "Id")!, ApiResponse.Child(target, "Port")!, ApiResponse.Child(health, "State")!, ApiResponse.Child(health, "Reason"));
        }).ToList();
    }

    [Fact]
    public async Task The_same_ip_registers_on_several_ports_and_an_unused_group_reports_Target_NotInUse()
    {
        var tg = await CreateAsync(Client, UniqueName.Next("tg"), "HTTP", 8080, "ip");
        (await Client.CallAsync("RegisterTargets", new ApiRequestParameters().Add("TargetGroupArn", tg)
            .Targets(("10.0.0.1", null), ("10.0.0.1", 9000), ("10.0.0.2", 9000)))).AssertSuccess("RegisterTargets");
        // Registering again is harmless.
        (await Client.CallAsync("RegisterTargets", new ApiRequestParameters().Add("TargetGroupArn", tg).Targets(("10.0.0.1", 9000)))).AssertSuccess();

        var health = await HealthAsync(tg);
        Assert.Equal([("10.0.0.1", "8080", "unused", "Target.NotInUse"), ("10.0.0.1", "9000", "unused", "Target.NotInUse"), ("10.0.0.2", "9000", "unused", "Target.NotInUse")], health);

        var asked = await HealthAsync(tg, p => p.Targets(("10.0.0.2", 9000), ("10.0.0.9", 80)));
        Assert.Equal([("10.0.0.2", "9000", "unused", "Target.NotInUse"), ("10.0.0.9", "80", "unused", "Target.NotRegistered")], asked);

        var withAnomaly = (await Client.CallAsync("DescribeTargetHealth", new ApiRequestParameters().Add("TargetGroupArn", tg).List("Include", "AnomalyDetection"))).AssertSuccess();
        var first = withAnomaly.Members("TargetHealthDescriptions")[0];
        Assert.Equal(("normal", "no"), (ApiResponse.Child(first, "Result"), ApiResponse.Child(first, "MitigationInEffect")));
        Assert.Equal("8080", ApiResponse.Child(first, "HealthCheckPort"));
        var overrideState = ApiResponse.ChildElement(first, "AdministrativeOverride");
        Assert.Equal(("no_override", "AdministrativeOverride.NoOverride"), (ApiResponse.Child(overrideState, "State"), ApiResponse.Child(overrideState, "Reason")));

        (await Client.CallAsync("DeregisterTargets", new ApiRequestParameters().Add("TargetGroupArn", tg).Targets(("10.0.0.1", 9000)))).AssertSuccess("DeregisterTargets");
        Assert.Equal(["10.0.0.1:8080", "10.0.0.2:9000"], (await HealthAsync(tg)).Select(h => $"{h.Id}:{h.Port}"));
    }

    [Fact]
    public async Task Bad_targets_are_InvalidTarget_and_unknown_groups_TargetGroupNotFound()
    {
        var ipGroup = await CreateAsync(Client, UniqueName.Next("tg"), "HTTP", 80, "ip");
        (await Client.CallAsync("RegisterTargets", new ApiRequestParameters().Add("TargetGroupArn", ipGroup).Targets(("not-an-ip", null)))).AssertError("InvalidTarget");
        (await Client.CallAsync("RegisterTargets", new ApiRequestParameters().Add("TargetGroupArn", ipGroup).Targets(("10.1", null)))).AssertError("InvalidTarget");
        (await Client.CallAsync("RegisterTargets", new ApiRequestParameters().Add("TargetGroupArn", ipGroup).Targets(("10.0.0.1", 70000)))).AssertError("ValidationError");
        (await Client.CallAsync("DeregisterTargets", new ApiRequestParameters().Add("TargetGroupArn", ipGroup).Targets(("10.0.0.7", null)))).AssertError("InvalidTarget");

        var instanceGroup = await CreateAsync(Client, UniqueName.Next("tg"));
        (await Client.CallAsync("RegisterTargets", new ApiRequestParameters().Add("TargetGroupArn", instanceGroup).Targets(("i-0123456789abcdef0", null)))).AssertError("InvalidTarget");

        var lambdaGroup = await CreateAsync(Client, Group(UniqueName.Next("tg"), null, null, "lambda"));
        (await Client.CallAsync("RegisterTargets", new ApiRequestParameters().Add("TargetGroupArn", lambdaGroup).Targets(("10.0.0.1", null)))).AssertError("InvalidTarget");
        var function = "arn:aws:lambda:us-east-1:000000000000:function:hello";
        (await Client.CallAsync("RegisterTargets", new ApiRequestParameters().Add("TargetGroupArn", lambdaGroup).Targets((function, null)))).AssertSuccess();
        (await Client.CallAsync("RegisterTargets", new ApiRequestParameters().Add("TargetGroupArn", lambdaGroup).Targets((function + "2", null)))).AssertError("TooManyTargets");

        var missing = ipGroup[..^4] + "ffff";
        (await Client.CallAsync("RegisterTargets", new ApiRequestParameters().Add("TargetGroupArn", missing).Targets(("10.0.0.1", null)))).AssertError("TargetGroupNotFound");
        (await Client.CallAsync("DescribeTargetHealth", new ApiRequestParameters().Add("TargetGroupArn", missing))).AssertError("TargetGroupNotFound");
        (await Client.CallAsync("RegisterTargets", new ApiRequestParameters().Add("TargetGroupArn", ipGroup))).AssertError("ValidationError");
    }

    /// <summary>DescribeTargetHealth is not paginated: a full group of 1,000 comes back in one answer; the 1,001st is refused.</summary>
    [Fact]
    public async Task A_thousand_targets_register_in_batches_and_all_come_back_from_DescribeTargetHealth()
    {
        var tg = await CreateAsync(Client, UniqueName.Next("tg"), "HTTP", 80, "ip");
        for (var batch = 0; batch < 4; batch++)
        {
            var targets = Enumerable.Range(batch * 250, 250).Select(i => ($"10.{i / 250}.{i % 250 / 10}.{i % 10 + 1}", (int?)null)).ToArray();
            (await Client.CallAsync("RegisterTargets", new ApiRequestParameters().Add("TargetGroupArn", tg).Targets(targets))).AssertSuccess();
        }
        var health = await HealthAsync(tg);
        Assert.Equal(1000, health.Count);
        Assert.Equal(1000, health.Select(h => h.Id).Distinct().Count());
        (await Client.CallAsync("RegisterTargets", new ApiRequestParameters().Add("TargetGroupArn", tg).Targets(("10.200.0.1", null)))).AssertError("TooManyTargets");
    }

    [Fact]
    public async Task Fifty_parallel_registrations_lose_nothing()
    {
        var tg = await CreateAsync(Client, UniqueName.Next("tg"), "TCP", 443, "ip");
        var calls = Enumerable.Range(1, 50).Select(i =>
            Client.CallAsync("RegisterTargets", new ApiRequestParameters().Add("TargetGroupArn", tg).Targets(($"192.168.1.{i}", null))));
        foreach (var response in await Task.WhenAll(calls)) response.AssertSuccess();
        var ids = (await HealthAsync(tg)).Select(h => h.Id).ToHashSet();
        Assert.Equal(Enumerable.Range(1, 50).Select(i => $"192.168.1.{i}").ToHashSet(), ids);
    }

    [Fact]
    public async Task The_target_in_service_waiter_succeeds_once_a_real_backend_passes_health_checks_and_draining_shows_after_deregistration()
    {
        await using var backend = await StartBackendAsync();
        var port = backend.Port;
        var tg = await CreateAsync(Client, Group(UniqueName.Next("tg"), "HTTP", port, "ip")
            .Add("HealthCheckIntervalSeconds", 5).Add("HealthCheckTimeoutSeconds", 2).Add("HealthyThresholdCount", 2).Add("HealthCheckPath", "/health"));
        var lb = await LoadBalancerCalls.CreateArnAsync(Client, UniqueName.Next("alb"));
        (await LoadBalancerCalls.CreateListenerAsync(Client, lb, "HTTP", 8081, p => LoadBalancerCalls.Forward(p, tg))).AssertSuccess();
        (await Client.CallAsync("RegisterTargets", new ApiRequestParameters().Add("TargetGroupArn", tg).Targets(("127.0.0.1", null)))).AssertSuccess();

        // The first check runs at registration and a passing one makes the target healthy at once, so by the time
        // this reads it the target may already be past initial (the initial state itself is pinned in EndToEnd HealthTests).
        var first = Assert.Single(await HealthAsync(tg));
        Assert.Contains(first.State, new[] { "initial", "healthy" });

        // The CLI waiter sleeps 15 s between polls; wait here first so it succeeds on its first poll.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await HealthAsync(tg))[0].State != "healthy" && DateTime.UtcNow < deadline) await Task.Delay(100);
        (await server.Cli.RunAsync("elbv2", "wait", "target-in-service", "--target-group-arn", tg, "--targets", $"Id=127.0.0.1,Port={port}")).AssertSuccess();
        Assert.True(backend.Requests > 0);

        (await Client.CallAsync("ModifyTargetGroupAttributes", new ApiRequestParameters().Add("TargetGroupArn", tg)
            .AttributeList(("deregistration_delay.timeout_seconds", "30")))).AssertSuccess();
        (await Client.CallAsync("DeregisterTargets", new ApiRequestParameters().Add("TargetGroupArn", tg).Targets(("127.0.0.1", null)))).AssertSuccess();
        var draining = Assert.Single(await HealthAsync(tg));
        Assert.Equal(("127.0.0.1", "draining", "Target.DeregistrationInProgress"), (draining.Id, draining.State, draining.Reason));
    }

    [Fact]
    public async Task Registered_targets_survive_a_restart()
    {
        await using var harness = await ApiHarness.StartAsync();
        var tg = await CreateAsync(harness.Client, UniqueName.Next("tg"), "TCP", 80, "ip");
        (await harness.Client.CallAsync("RegisterTargets", new ApiRequestParameters().Add("TargetGroupArn", tg).Targets(("10.9.9.9", 81), ("10.9.9.8", null)))).AssertSuccess();
        await harness.RestartAsync();
        var response = (await harness.Client.CallAsync("DescribeTargetHealth", new ApiRequestParameters().Add("TargetGroupArn", tg))).AssertSuccess();
        Assert.Equal(["10.9.9.9:81", "10.9.9.8:80"], response.Members("TargetHealthDescriptions")
            .Select(m => m.Elements().Single(e => e.Name.LocalName == "Target")).Select(t => $"{ApiResponse.Child(t, "Id")}:{ApiResponse.Child(t, "Port")}"));
    }

    private static async Task<Backend> StartBackendAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var port = FreePort.Next();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var backend = new Backend(app, port);
        app.Run(async context =>
        {
            Interlocked.Increment(ref backend.RequestCount);
            await context.Response.WriteAsync("ok");
        });
        await app.StartAsync();
        return backend;
    }

    private sealed class Backend(WebApplication app, int port) : IAsyncDisposable
    {
        public int RequestCount;
        public int Port { get; } = port;
        public int Requests => Volatile.Read(ref RequestCount);

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
