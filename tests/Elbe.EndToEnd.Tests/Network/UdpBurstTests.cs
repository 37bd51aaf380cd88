using System.Net.Sockets;
using System.Text;
using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests.Network;

/// <summary>The relay moves datagrams in batches (recvmmsg/sendmmsg): what a batch must keep.</summary>
public class UdpBurstTests
{
    private const int Flows = 6, PerFlow = 16;

    [Fact]
    public async Task A_burst_from_many_flows_arriving_at_once_is_all_answered_in_order_per_flow_each_flow_on_one_target()
    {
        await using var a = UdpEchoTarget.Start("a");
        await using var b = UdpEchoTarget.Start("b");
        await using var check = TcpEchoTarget.Start("check");
        var template = new NlbTemplate { Protocol = "UDP", TargetProtocol = "UDP", HealthCheckPort = check.Port }.WithTargets(a.Port, b.Port);
        await using var harness = await ElbeHarness.StartAsync(template.ToString());
        await harness.WaitForHealthyAsync(NlbTemplate.TargetGroup, a.Port, b.Port);
        var node = harness.NodeAddress(NlbTemplate.LoadBalancer);

        var flows = Enumerable.Range(0, Flows).Select(_ => new UdpClientFlow(node, NlbTemplate.ListenerPort)).ToList();
        try
        {
            // Sent without waiting, two at a time from each flow in turn: the node socket holds runs of one flow
            // between runs of others, and the first datagrams of every flow arrive together.
            for (var round = 0; round < PerFlow / 2; round++)
                for (var f = 0; f < Flows; f++)
                    for (var k = 0; k < 2; k++)
                        flows[f].Socket.Send(Encoding.ASCII.GetBytes($"flow {f} datagram {round * 2 + k}"));

            var buffer = new byte[65536];
            for (var f = 0; f < Flows; f++)
            {
                var targets = new HashSet<string>();
                for (var i = 0; i < PerFlow; i++)
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    var read = await flows[f].Socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                    var answer = Encoding.ASCII.GetString(buffer, 0, read).Split('|');
                    targets.Add(answer[0]);
                    Assert.Equal($"flow {f} datagram {i}", answer[1]);
                }
                Assert.Single(targets);
            }
        }
        finally
        {
            foreach (var flow in flows) flow.Dispose();
        }
        var counters = harness.Server.NetworkListener(harness.Server.Configuration.Listeners.Single().Arn)!.Udp!.Counters;
        Assert.Equal(Flows, counters.NewFlows);
    }

    [Fact]
    public async Task A_datagram_of_the_largest_size_loopback_carries_is_relayed_whole_both_ways()
    {
        await using var target = UdpEchoTarget.Start("t");
        await using var check = TcpEchoTarget.Start("check");
        var template = new NlbTemplate { Protocol = "UDP", TargetProtocol = "UDP", HealthCheckPort = check.Port }.WithTargets(target.Port);
        await using var harness = await ElbeHarness.StartAsync(template.ToString());
        await harness.WaitForHealthyAsync(NlbTemplate.TargetGroup, target.Port);

        using var flow = new UdpClientFlow(harness.NodeAddress(NlbTemplate.LoadBalancer), NlbTemplate.ListenerPort);
        // 65,500 bytes plus the target's two-byte prefix: just under IPv4's largest UDP payload (65,507).
        var large = string.Concat(Enumerable.Range(0, 65_500 / 10).Select(i => $"{i,10}"));
        var (name, text) = await flow.EchoAsync(large);
        Assert.Equal("t", name);
        Assert.Equal(large, text);
        Assert.Equal("small after large", (await flow.EchoAsync("small after large")).Text);
    }
}
