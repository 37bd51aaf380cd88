using System.Net;
using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests.Network;

public class UdpRelayTests
{
    private static NlbTemplate Udp(params int[] ports) =>
        new NlbTemplate { Protocol = "UDP", TargetProtocol = "UDP" }.WithTargets(ports);

    [Fact]
    public async Task Udp_echoes_through_the_nlb_each_flow_keeps_its_target_and_flows_spread()
    {
        await using var a = UdpEchoTarget.Start("a");
        await using var b = UdpEchoTarget.Start("b");
        await using var c = UdpEchoTarget.Start("c");
        // UDP targets are health-checked over TCP on a port that answers: the harness's closed UDP ports would not.
        await using var check = TcpEchoTarget.Start("check");
        await using var harness = await ElbeHarness.StartAsync((Udp(a.Port, b.Port, c.Port) with { HealthCheckPort = check.Port }).ToString());
        await harness.WaitForHealthyAsync(NlbTemplate.TargetGroup, a.Port, b.Port, c.Port);
        var node = harness.NodeAddress(NlbTemplate.LoadBalancer);

        var seen = new Dictionary<string, int>();
        for (var i = 0; i < 45; i++)
        {
            using var flow = new UdpClientFlow(node, NlbTemplate.ListenerPort);
            var (first, text) = await flow.EchoAsync($"datagram {i}");
            Assert.Equal($"datagram {i}", text);
            for (var j = 0; j < 5; j++) Assert.Equal(first, (await flow.EchoAsync($"again {j}")).Target);
            seen[first] = seen.GetValueOrDefault(first) + 1;
        }
        Assert.Equal(["a", "b", "c"], seen.Keys.Order());
        Assert.All(seen.Values, count => Assert.InRange(count, 4, 40));

        // UDP ip targets always see the client's address (preserve_client_ip cannot be turned off for UDP).
        Assert.All(a.Senders.Concat(b.Senders).Concat(c.Senders), sender => Assert.Equal(IPAddress.Loopback, sender.Address));
        var counters = harness.Server.NetworkListener(harness.Server.Configuration.Listeners.Single().Arn)!.Udp!.Counters;
        Assert.Equal(45, counters.NewFlows);
    }

    [Fact]
    public async Task A_flood_of_new_sources_is_held_to_the_flow_table_limit_oldest_idle_evicted_first_and_counted()
    {
        await using var target = UdpEchoTarget.Start("t");
        await using var check = TcpEchoTarget.Start("check");
        var slice = LoopbackSubnets.Allocate();
        await using var harness = await ElbeHarness.StartAsync((Udp(target.Port) with { HealthCheckPort = check.Port }).ToString(), slice, udpFlowCapacity: 16);
        await harness.WaitForHealthyAsync(NlbTemplate.TargetGroup, target.Port);
        var node = harness.NodeAddress(NlbTemplate.LoadBalancer);
        var relay = harness.Server.NetworkListener(harness.Server.Configuration.Listeners.Single().Arn)!.Udp!;

        // The first flow goes quiet; the flood then comes from 200 fresh sources.
        using var oldest = new UdpClientFlow(node, NlbTemplate.ListenerPort);
        await oldest.EchoAsync("first");
        using var keeper = new UdpClientFlow(node, NlbTemplate.ListenerPort);
        var flood = new List<UdpClientFlow>();
        try
        {
            for (var i = 0; i < 200; i++)
            {
                var flow = new UdpClientFlow(node, NlbTemplate.ListenerPort, LoopbackSubnets.ClientAddress(142, 1 + i % 250));
                flood.Add(flow);
                Assert.Equal($"flood {i}", (await flow.EchoAsync($"flood {i}")).Text);
                // One flow that keeps talking is never the oldest idle one.
                if (i % 8 == 0) await keeper.EchoAsync($"keep {i}");
                Assert.True(relay.FlowCount <= 16, $"{relay.FlowCount} flows held with a limit of 16");
            }
        }
        finally
        {
            foreach (var flow in flood) flow.Dispose();
        }

        Assert.True(relay.Counters.EvictedFlows >= 200 + 2 - 16, $"only {relay.Counters.EvictedFlows} flows were evicted");
        // The quiet first flow was evicted; the talking one was not: its next datagram is not a new flow.
        var newFlows = relay.Counters.NewFlows;
        await keeper.EchoAsync("still here");
        Assert.Equal(newFlows, relay.Counters.NewFlows);
        await oldest.EchoAsync("back again");
        Assert.Equal(newFlows + 1, relay.Counters.NewFlows);
    }

    [Fact]
    public async Task A_udp_flow_ends_after_the_idle_timeout_and_the_next_datagram_starts_a_new_one()
    {
        await using var target = UdpEchoTarget.Start("t");
        await using var check = TcpEchoTarget.Start("check");
        // At time scale 0.01 NLB's fixed 120 s UDP idle timeout is 1.2 s.
        await using var harness = await ElbeHarness.StartAsync((Udp(target.Port) with { HealthCheckPort = check.Port }).ToString(), timeScale: 0.01);
        await harness.WaitForHealthyAsync(NlbTemplate.TargetGroup, target.Port);
        var relay = harness.Server.NetworkListener(harness.Server.Configuration.Listeners.Single().Arn)!.Udp!;

        using var flow = new UdpClientFlow(harness.NodeAddress(NlbTemplate.LoadBalancer), NlbTemplate.ListenerPort);
        await flow.EchoAsync("one");
        await flow.EchoAsync("two");
        Assert.Equal(1, relay.Counters.NewFlows);
        await Eventually.TrueAsync(() => relay.Counters.IdleTimeouts == 1, "the idle UDP flow was not expired");
        Assert.Equal(0, relay.FlowCount);
        Assert.Equal("three", (await flow.EchoAsync("three")).Text);
        Assert.Equal(2, relay.Counters.NewFlows);
    }
}
