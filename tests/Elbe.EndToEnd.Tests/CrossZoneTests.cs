using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests;

/// <summary>
/// load_balancing.cross_zone.enabled on an ALB target group (fact sheet 0.2): targets listen inside the slice's
/// subnets, so each has a zone, and each request is sent to one node's own address.
/// </summary>
public sealed class CrossZoneTests
{
    private const int Requests = 20;

    private static Dictionary<string, string> CrossZone(string enabled) => new() { ["load_balancing.cross_zone.enabled"] = enabled };

    private static Uri NodeUrl(ElbeHarness elbe, string zone) =>
        new($"http://{elbe.Server.LoadBalancer(CfnTemplate.DefaultLoadBalancer).Nodes.Single(n => n.ZoneName == zone).IpAddress}:{CfnTemplate.ListenerPort}/");

    [Fact]
    public async Task With_cross_zone_off_each_node_uses_only_its_own_zone_and_with_it_on_every_zone()
    {
        var slice = LoopbackSubnets.Allocate();
        await using var a = await BackendServer.StartAsync("a", slice.TargetAddress(0));
        await using var b = await BackendServer.StartAsync("b", slice.TargetAddress(1));
        // Zone c has no node of this load balancer: its target is unused.
        await using var c = await BackendServer.StartAsync("c", slice.TargetAddress(2));
        string Template(string crossZone) => new CfnTemplate()
            .LoadBalancer()
            .TargetGroupAt("Pool", [(a.Address, a.Port), (b.Address, b.Port), (c.Address, c.Port)], CrossZone(crossZone))
            .Listener(CfnActions.Forward("Pool"))
            .ToString();
        await using var elbe = await ElbeHarness.StartAsync(Template("false"), slice);
        await elbe.WaitForHealthyAsync("Pool", a.Port, b.Port);
        var unused = await elbe.WaitForTargetStateAsync("Pool", c.Port, "unused");
        Assert.Equal("Target.NotInUse", unused.TargetHealth.Reason);

        var fromA = await RequestBurst.BackendsAsync(elbe.Client, NodeUrl(elbe, "us-east-1a"), Requests, concurrency: 1);
        var fromB = await RequestBurst.BackendsAsync(elbe.Client, NodeUrl(elbe, "us-east-1b"), Requests, concurrency: 1);
        Assert.True(fromA.Count("a") == Requests, $"Node a should reach only zone a's target: {fromA.Summary()}");
        Assert.True(fromB.Count("b") == Requests, $"Node b should reach only zone b's target: {fromB.Summary()}");

        await elbe.ReloadAsync(Template("true"));
        var spread = await RequestBurst.BackendsAsync(elbe.Client, NodeUrl(elbe, "us-east-1a"), Requests, concurrency: 1);
        Assert.True(spread.Count("a") == Requests / 2 && spread.Count("b") == Requests / 2, $"Node a should spread over both zones: {spread.Summary()}");
        Assert.Equal("unused", elbe.TargetHealth("Pool", c.Port)?.TargetHealth.State);
        Assert.Equal(0, c.TotalRequests);
    }

    [Fact]
    public async Task With_cross_zone_off_a_zone_without_targets_answers_503_on_its_node()
    {
        var slice = LoopbackSubnets.Allocate();
        await using var a = await BackendServer.StartAsync("a", slice.TargetAddress(0));
        var template = new CfnTemplate()
            .LoadBalancer()
            .TargetGroupAt("Pool", [(a.Address, a.Port)], CrossZone("false"))
            .Listener(CfnActions.Forward("Pool"));
        await using var elbe = await ElbeHarness.StartAsync(template.ToString(), slice);
        await elbe.WaitForHealthyAsync("Pool", a.Port);

        using (var fromA = await elbe.Client.GetAsync(NodeUrl(elbe, "us-east-1a")))
            Assert.Equal(System.Net.HttpStatusCode.OK, fromA.StatusCode);
        using var fromB = await elbe.Client.GetAsync(NodeUrl(elbe, "us-east-1b"));
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, fromB.StatusCode);
        Assert.Equal("awselb/2.0", fromB.Headers.Server.ToString());
    }
}
