using System.Net.Sockets;
using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests.Network;

/// <summary>What happens to TCP flows when their target fails health checks, is deregistered, or the flow idles (fact sheet 2.4, 2.6, 0.5).</summary>
public class TcpFlowLifecycleTests
{
    /// <summary>Connects until a connection lands on <paramref name="wanted"/>; bounded.</summary>
    private static async Task<NlbClient> ConnectToAsync(string node, string wanted)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var client = await NlbClient.ConnectAsync(node, NlbTemplate.ListenerPort);
            if (client.Target == wanted) return client;
            await client.DisposeAsync();
        }
        throw new Xunit.Sdk.XunitException($"100 connections and none landed on {wanted}.");
    }

    private static async Task<HashSet<string>> TargetsOfNewConnectionsAsync(string node, int connections)
    {
        var seen = new HashSet<string>();
        for (var i = 0; i < connections; i++)
        {
            await using var client = await NlbClient.ConnectAsync(node, NlbTemplate.ListenerPort);
            Assert.Equal("ping", await client.EchoAsync("ping"));
            seen.Add(client.Target);
        }
        return seen;
    }

    [Fact]
    public async Task Tcp_health_check_takes_a_refusing_target_out_resets_its_flows_and_brings_it_back()
    {
        await using var a = TcpEchoTarget.Start("a");
        await using var b = TcpEchoTarget.Start("b");
        await using var harness = await ElbeHarness.StartAsync(new NlbTemplate().WithTargets(a.Port, b.Port).ToString());
        await harness.WaitForHealthyAsync(NlbTemplate.TargetGroup, a.Port, b.Port);
        var node = harness.NodeAddress(NlbTemplate.LoadBalancer);
        await using var onA = await ConnectToAsync(node, "a");
        Assert.Equal("before", await onA.EchoAsync("before"));

        a.StopAccepting();
        var health = await harness.WaitForTargetStateAsync(NlbTemplate.TargetGroup, a.Port, "unhealthy");
        Assert.Equal("Target.FailedHealthChecks", health.TargetHealth.Reason);
        Assert.Equal(["b"], await TargetsOfNewConnectionsAsync(node, 20));
        // target_health_state.unhealthy.connection_termination.enabled defaults to true: the open flow is reset.
        Assert.Equal(SocketError.ConnectionReset, await onA.ReadToEndAsync());

        a.StartAccepting();
        await harness.WaitForTargetStateAsync(NlbTemplate.TargetGroup, a.Port, "healthy");
        Assert.Equal(["a", "b"], (await TargetsOfNewConnectionsAsync(node, 30)).Order());
    }

    [Fact]
    public async Task Unhealthy_target_keeps_its_flows_when_unhealthy_connection_termination_is_off()
    {
        await using var a = TcpEchoTarget.Start("a");
        await using var b = TcpEchoTarget.Start("b");
        var template = new NlbTemplate
        {
            TargetGroupAttributes = new Dictionary<string, string> { ["target_health_state.unhealthy.connection_termination.enabled"] = "false" },
        }.WithTargets(a.Port, b.Port);
        await using var harness = await ElbeHarness.StartAsync(template.ToString());
        await harness.WaitForHealthyAsync(NlbTemplate.TargetGroup, a.Port, b.Port);
        var node = harness.NodeAddress(NlbTemplate.LoadBalancer);
        await using var onA = await ConnectToAsync(node, "a");

        a.StopAccepting();
        await harness.WaitForTargetStateAsync(NlbTemplate.TargetGroup, a.Port, "unhealthy");
        Assert.Equal(["b"], await TargetsOfNewConnectionsAsync(node, 10));
        Assert.Equal("still flowing", await onA.EchoAsync("still flowing"));
    }

    [Fact]
    public async Task Unhealthy_target_reads_unhealthy_draining_keeps_its_flows_for_the_draining_interval_then_resets_them()
    {
        await using var a = TcpEchoTarget.Start("a");
        await using var b = TcpEchoTarget.Start("b");
        var template = new NlbTemplate
        {
            TargetGroupAttributes = new Dictionary<string, string>
            {
                ["target_health_state.unhealthy.connection_termination.enabled"] = "false",
                // 4 s at the harness's time scale: long enough to see the flow live on.
                ["target_health_state.unhealthy.draining_interval_seconds"] = "40",
            },
        }.WithTargets(a.Port, b.Port);
        await using var harness = await ElbeHarness.StartAsync(template.ToString());
        await harness.WaitForHealthyAsync(NlbTemplate.TargetGroup, a.Port, b.Port);
        var node = harness.NodeAddress(NlbTemplate.LoadBalancer);
        await using var onA = await ConnectToAsync(node, "a");

        a.StopAccepting();
        var draining = await harness.WaitForTargetStateAsync(NlbTemplate.TargetGroup, a.Port, "unhealthy.draining");
        Assert.Equal("Target.FailedHealthChecks", draining.TargetHealth.Reason);
        Assert.Equal(["b"], await TargetsOfNewConnectionsAsync(node, 10));
        Assert.Equal("still flowing", await onA.EchoAsync("still flowing"));

        var unhealthy = await harness.WaitForTargetStateAsync(NlbTemplate.TargetGroup, a.Port, "unhealthy");
        Assert.Equal("Target.FailedHealthChecks", unhealthy.TargetHealth.Reason);
        Assert.Equal(SocketError.ConnectionReset, await onA.ReadToEndAsync());
    }

    [Fact]
    public async Task Target_recovering_while_unhealthy_draining_turns_healthy_and_keeps_its_flow()
    {
        await using var a = TcpEchoTarget.Start("a");
        await using var b = TcpEchoTarget.Start("b");
        var template = new NlbTemplate
        {
            TargetGroupAttributes = new Dictionary<string, string>
            {
                ["target_health_state.unhealthy.connection_termination.enabled"] = "false",
                // Far longer than the test: only recovery can end this draining.
                ["target_health_state.unhealthy.draining_interval_seconds"] = "360000",
            },
        }.WithTargets(a.Port, b.Port);
        await using var harness = await ElbeHarness.StartAsync(template.ToString());
        await harness.WaitForHealthyAsync(NlbTemplate.TargetGroup, a.Port, b.Port);
        var node = harness.NodeAddress(NlbTemplate.LoadBalancer);
        await using var onA = await ConnectToAsync(node, "a");

        a.StopAccepting();
        await harness.WaitForTargetStateAsync(NlbTemplate.TargetGroup, a.Port, "unhealthy.draining");
        a.StartAccepting();
        await harness.WaitForTargetStateAsync(NlbTemplate.TargetGroup, a.Port, "healthy");
        Assert.Equal("kept", await onA.EchoAsync("kept"));
        Assert.Equal(["a", "b"], (await TargetsOfNewConnectionsAsync(node, 30)).Order());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Deregistered_target_gets_no_new_flows_and_its_open_flow_lives_on_or_is_reset_after_the_delay(bool connectionTermination)
    {
        await using var a = TcpEchoTarget.Start("a");
        await using var b = TcpEchoTarget.Start("b");
        var attributes = new Dictionary<string, string>
        {
            ["deregistration_delay.timeout_seconds"] = "1",
            ["deregistration_delay.connection_termination.enabled"] = connectionTermination ? "true" : "false",
        };
        var template = new NlbTemplate { TargetGroupAttributes = attributes };
        await using var harness = await ElbeHarness.StartAsync(template.WithTargets(a.Port, b.Port).ToString());
        await harness.WaitForHealthyAsync(NlbTemplate.TargetGroup, a.Port, b.Port);
        var node = harness.NodeAddress(NlbTemplate.LoadBalancer);
        await using var onA = await ConnectToAsync(node, "a");

        await harness.ReloadAsync(template.WithTargets(b.Port).ToString());
        Assert.Equal(["b"], await TargetsOfNewConnectionsAsync(node, 10));
        Assert.Equal("draining", await onA.EchoAsync("draining"));
        // The delay is over once the target is no longer listed.
        await Eventually.TrueAsync(() => harness.TargetHealth(NlbTemplate.TargetGroup, a.Port) is null, "target a is still listed after its deregistration delay");

        if (connectionTermination)
            Assert.Equal(SocketError.ConnectionReset, await onA.ReadToEndAsync());
        else
            Assert.Equal("after the delay", await onA.EchoAsync("after the delay"));
    }

    [Fact]
    public async Task Listener_moved_to_another_port_resets_its_open_flows_and_accepts_on_the_new_port()
    {
        await using var target = TcpEchoTarget.Start("t");
        var template = new NlbTemplate().WithTargets(target.Port);
        await using var harness = await ElbeHarness.StartAsync(template.ToString());
        await harness.WaitForHealthyAsync(NlbTemplate.TargetGroup, target.Port);
        var node = harness.NodeAddress(NlbTemplate.LoadBalancer);
        await using var client = await NlbClient.ConnectAsync(node, NlbTemplate.ListenerPort);
        Assert.Equal("before", await client.EchoAsync("before"));

        // The relay's loops stop watching the old socket and reset the flows it accepted, on their own threads.
        await harness.ReloadAsync((template with { Port = NlbTemplate.ListenerPort + 1 }).ToString());
        Assert.Equal(SocketError.ConnectionReset, await client.ReadToEndAsync());
        await using var moved = await NlbClient.ConnectAsync(node, NlbTemplate.ListenerPort + 1);
        Assert.Equal("after", await moved.EchoAsync("after"));
        await Assert.ThrowsAnyAsync<SocketException>(() => NlbClient.ConnectAsync(node, NlbTemplate.ListenerPort));
    }

    [Fact]
    public async Task Idle_timeout_forgets_the_flow_silently_and_resets_whichever_side_speaks_next()
    {
        await using var target = TcpEchoTarget.Start("t");
        var template = new NlbTemplate { ListenerAttributes = new Dictionary<string, string> { ["tcp.idle_timeout.seconds"] = "60" } }.WithTargets(target.Port);
        // At time scale 0.02 the 60 s idle timeout is 1.2 s.
        await using var harness = await ElbeHarness.StartAsync(template.ToString(), timeScale: 0.02);
        await harness.WaitForHealthyAsync(NlbTemplate.TargetGroup, target.Port);
        var relay = harness.Server.NetworkListener(harness.Server.Configuration.Listeners.Single().Arn)!.Tcp!;

        await using var client = await NlbClient.ConnectAsync(harness.NodeAddress(NlbTemplate.LoadBalancer), NlbTemplate.ListenerPort);
        Assert.Equal("hi", await client.EchoAsync("hi"));
        var connection = Assert.Single(target.DataConnections);
        await Eventually.TrueAsync(() => relay.Counters.IdleTimeouts == 1, "the idle flow was not timed out");
        // Silence at the timeout: neither side was closed or reset.
        Assert.False(connection.ClosedByPeer || connection.ResetByPeer, "the target saw the timeout");
        Assert.True(client.Socket.Poll(0, SelectMode.SelectRead) == false, "the client saw the timeout");

        await client.Socket.SendAsync("late"u8.ToArray(), SocketFlags.None);
        Assert.Equal(SocketError.ConnectionReset, await client.ReadToEndAsync());
        Assert.Equal(2, connection.PayloadBytes);

        await connection.Socket.SendAsync("late too"u8.ToArray(), SocketFlags.None);
        await Eventually.TrueAsync(() => connection.ResetByPeer, "the target's late segment was not answered with a reset");
        Assert.Equal(2, relay.Counters.ElbResets);
    }
}
