using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests.Network;

/// <summary>NLB cross-zone load balancing is off unless the load balancer or the group turns it on (fact sheet 0.2).</summary>
public class NlbCrossZoneTests
{
    [Theory]
    [InlineData(null, new[] { "zone-a" })]
    [InlineData("true", new[] { "zone-a", "zone-b" })]
    public async Task A_node_uses_only_its_own_zone_unless_cross_zone_is_on(string? loadBalancerCrossZone, string[] expected)
    {
        var slice = LoopbackSubnets.Allocate();
        await using var a = TcpEchoTarget.Start("zone-a", address: slice.TargetAddress(0));
        await using var b = TcpEchoTarget.Start("zone-b", address: slice.TargetAddress(1));
        var template = new NlbTemplate
        {
            Targets = [(a.Address, a.Port), (b.Address, b.Port)],
            LoadBalancerAttributes = loadBalancerCrossZone is null
                ? new Dictionary<string, string>()
                : new Dictionary<string, string> { ["load_balancing.cross_zone.enabled"] = loadBalancerCrossZone },
        };
        await using var harness = await ElbeHarness.StartAsync(template.ToString(), slice);
        await harness.WaitForHealthyAsync(NlbTemplate.TargetGroup, a.Port, b.Port);

        var seen = new HashSet<string>();
        for (var i = 0; i < 24; i++)
        {
            await using var client = await NlbClient.ConnectAsync(slice.FirstNodeAddress, NlbTemplate.ListenerPort);
            seen.Add(client.Target);
        }
        Assert.Equal(expected, seen.Order());
    }
}
