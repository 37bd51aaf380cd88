using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests;

/// <summary>load_balancing.algorithm.type over three or two real targets.</summary>
public sealed class AlgorithmTests
{
    [Fact]
    public async Task Round_robin_spreads_sequential_requests_evenly()
    {
        await using var a = await BackendServer.StartAsync("a");
        await using var b = await BackendServer.StartAsync("b");
        await using var c = await BackendServer.StartAsync("c");
        var template = new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Pool", [a.Port, b.Port, c.Port], new Dictionary<string, string> { ["load_balancing.algorithm.type"] = "round_robin" })
            .Listener(CfnActions.Forward("Pool"));
        await using var elbe = await ElbeHarness.StartAsync(template.ToString());
        await elbe.WaitForHealthyAsync("Pool", a.Port, b.Port, c.Port);

        var backends = await RequestBurst.BackendsAsync(elbe.Client, elbe.Url("/"), count: 300, concurrency: 1);

        var counts = new[] { backends.Count("a"), backends.Count("b"), backends.Count("c") };
        Assert.True(counts.Sum() == 300, $"Some requests were not forwarded: {backends.Summary()}");
        Assert.True(counts.Max() - counts.Min() <= 3, $"Round robin over 3 targets should give ~100 each: {backends.Summary()}");
    }

    [Fact]
    public async Task Least_outstanding_requests_sends_less_to_a_busy_target()
    {
        await using var slow = await BackendServer.StartAsync("slow");
        await using var fast = await BackendServer.StartAsync("fast");
        var template = new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Pool", [slow.Port, fast.Port], new Dictionary<string, string> { ["load_balancing.algorithm.type"] = "least_outstanding_requests" })
            .Listener(CfnActions.Forward("Pool"));
        await using var elbe = await ElbeHarness.StartAsync(template.ToString());
        await elbe.WaitForHealthyAsync("Pool", slow.Port, fast.Port);
        slow.SetResponseDelay(TimeSpan.FromSeconds(1));

        var backends = await RequestBurst.BackendsAsync(elbe.Client, elbe.Url("/"), count: 80, concurrency: 4);

        Assert.True(backends.Count("slow") + backends.Count("fast") == 80, $"Some requests were not forwarded: {backends.Summary()}");
        // Round robin would split 40/40; while the slow target holds requests the fast one always has fewer outstanding.
        Assert.True(backends.Count("slow") * 4 < backends.Count("fast"), $"The busy target should get far fewer requests: {backends.Summary()}");
    }

    [Fact]
    public async Task Weighted_random_spreads_roughly_evenly_over_equal_targets()
    {
        await using var a = await BackendServer.StartAsync("a");
        await using var b = await BackendServer.StartAsync("b");
        var template = new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Pool", [a.Port, b.Port], new Dictionary<string, string> { ["load_balancing.algorithm.type"] = "weighted_random" })
            .Listener(CfnActions.Forward("Pool"));
        await using var elbe = await ElbeHarness.StartAsync(template.ToString());
        await elbe.WaitForHealthyAsync("Pool", a.Port, b.Port);

        var backends = await RequestBurst.BackendsAsync(elbe.Client, elbe.Url("/"), count: 400, concurrency: 4);

        Assert.True(backends.Count("a") + backends.Count("b") == 400, $"Some requests were not forwarded: {backends.Summary()}");
        // 400 fair coin flips land within 35-65 % with overwhelming probability (6 standard deviations).
        Assert.True(backends.Count("a") is >= 140 and <= 260, $"Equal weights should give each target about half: {backends.Summary()}");
    }
}
