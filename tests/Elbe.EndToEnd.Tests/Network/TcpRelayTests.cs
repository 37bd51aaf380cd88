using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests.Network;

public class TcpRelayTests
{
    [Fact]
    public async Task Tcp_echoes_through_the_nlb_and_new_connections_spread_over_every_target()
    {
        await using var a = TcpEchoTarget.Start("a");
        await using var b = TcpEchoTarget.Start("b");
        await using var c = TcpEchoTarget.Start("c");
        await using var harness = await ElbeHarness.StartAsync(new NlbTemplate().WithTargets(a.Port, b.Port, c.Port).ToString());
        await harness.WaitForHealthyAsync(NlbTemplate.TargetGroup, a.Port, b.Port, c.Port);
        var node = harness.NodeAddress(NlbTemplate.LoadBalancer);

        var seen = new Dictionary<string, int>();
        for (var i = 0; i < 60; i++)
        {
            await using var client = await NlbClient.ConnectAsync(node, NlbTemplate.ListenerPort);
            Assert.Equal($"hello {i}", await client.EchoAsync($"hello {i}"));
            seen[client.Target] = seen.GetValueOrDefault(client.Target) + 1;
        }
        Assert.Equal(["a", "b", "c"], seen.Keys.Order());
        Assert.All(seen.Values, count => Assert.InRange(count, 5, 50));
    }

    [Fact]
    public async Task One_connection_stays_on_its_target_for_its_whole_life()
    {
        await using var a = TcpEchoTarget.Start("a");
        await using var b = TcpEchoTarget.Start("b");
        await using var harness = await ElbeHarness.StartAsync(new NlbTemplate().WithTargets(a.Port, b.Port).ToString());
        await harness.WaitForHealthyAsync(NlbTemplate.TargetGroup, a.Port, b.Port);

        await using var client = await NlbClient.ConnectAsync(harness.NodeAddress(NlbTemplate.LoadBalancer), NlbTemplate.ListenerPort);
        for (var i = 0; i < 50; i++) Assert.Equal($"message {i:00};", await client.EchoAsync($"message {i:00};"));

        var (mine, other) = client.Target == "a" ? (a, b) : (b, a);
        var connection = Assert.Single(mine.DataConnections);
        Assert.Equal(50 * "message 00;".Length, connection.PayloadBytes);
        Assert.Empty(other.DataConnections);
        // Without client IP preservation (the default for ip targets over TCP) the target sees the node's address.
        Assert.Equal(harness.NodeAddress(NlbTemplate.LoadBalancer), connection.Remote.Address.ToString());
    }

    [Fact]
    public async Task Source_ip_stickiness_sends_every_connection_of_a_client_to_one_target()
    {
        await using var a = TcpEchoTarget.Start("a");
        await using var b = TcpEchoTarget.Start("b");
        await using var c = TcpEchoTarget.Start("c");
        var template = new NlbTemplate
        {
            TargetGroupAttributes = new Dictionary<string, string> { ["stickiness.enabled"] = "true", ["stickiness.type"] = "source_ip" },
        }.WithTargets(a.Port, b.Port, c.Port);
        await using var harness = await ElbeHarness.StartAsync(template.ToString());
        await harness.WaitForHealthyAsync(NlbTemplate.TargetGroup, a.Port, b.Port, c.Port);
        var node = harness.NodeAddress(NlbTemplate.LoadBalancer);

        var targetsByClient = new Dictionary<int, HashSet<string>>();
        for (var clientNumber = 1; clientNumber <= 12; clientNumber++)
        {
            var from = LoopbackSubnets.ClientAddress(140, clientNumber);
            targetsByClient[clientNumber] = [];
            for (var i = 0; i < 6; i++)
            {
                await using var client = await NlbClient.ConnectAsync(node, NlbTemplate.ListenerPort, from);
                Assert.Equal("x", await client.EchoAsync("x"));
                targetsByClient[clientNumber].Add(client.Target);
            }
        }
        Assert.All(targetsByClient.Values, targets => Assert.Single(targets));
        // Different clients still spread: twelve addresses do not all hash to one target.
        Assert.True(targetsByClient.Values.Select(t => t.Single()).Distinct().Count() > 1, "every client landed on the same target");
    }

    [Fact]
    public async Task Proxy_protocol_v2_header_reaches_the_target_byte_for_byte_before_the_payload()
    {
        await using var target = TcpEchoTarget.Start("pp", expectProxyHeader: true);
        var template = new NlbTemplate { TargetGroupAttributes = new Dictionary<string, string> { ["proxy_protocol_v2.enabled"] = "true" } }.WithTargets(target.Port);
        await using var harness = await ElbeHarness.StartAsync(template.ToString());
        await harness.WaitForHealthyAsync(NlbTemplate.TargetGroup, target.Port);
        var node = harness.NodeAddress(NlbTemplate.LoadBalancer);

        var from = LoopbackSubnets.ClientAddress(141, 7);
        await using var client = await NlbClient.ConnectAsync(node, NlbTemplate.ListenerPort, from);
        Assert.Equal("payload", await client.EchoAsync("payload"));

        var connection = Assert.Single(target.DataConnections);
        var clientPort = ((System.Net.IPEndPoint)client.Socket.LocalEndPoint!).Port;
        var nodeBytes = System.Net.IPAddress.Parse(node).GetAddressBytes();
        byte[] expected =
        [
            0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, 0x11, 0x00, 0x0C,
            127, 250, 141, 7, .. nodeBytes,
            (byte)(clientPort >> 8), (byte)clientPort, NlbTemplate.ListenerPort >> 8, NlbTemplate.ListenerPort & 0xFF,
        ];
        Assert.Equal(expected, connection.RawProxyHeader);
        Assert.Equal(7, connection.PayloadBytes);

        // Health checks open with a LOCAL header and no addresses.
        var check = target.AllConnections.First(c => c.ProxyHeader?.Command == Elbe.DataPlane.ProxyProtocol.ProxyCommand.Local);
        Assert.Equal(Convert.FromHexString("0D0A0D0A000D0A515549540A20000000"), check.RawProxyHeader);
    }
}
