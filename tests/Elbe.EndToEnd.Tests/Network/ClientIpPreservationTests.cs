using System.Net;
using System.Net.Sockets;
using Elbe.EndToEnd.Tests.Infrastructure;
using Elbe.Model.Resources;

namespace Elbe.EndToEnd.Tests.Network;

/// <summary>
/// preserve_client_ip.enabled across real routing: a client and a target in network namespaces of their own,
/// the load balancer in between. The target must see the client's address and port, and its answers must
/// still come back through the load balancer.
/// </summary>
public class ClientIpPreservationTests
{
    [Fact]
    public async Task Target_in_another_namespace_sees_the_client_address_and_port_when_preservation_is_on()
    {
        var slice = LoopbackSubnets.Allocate();
        using var namespaces = NetworkNamespaces.Create(slice.Octet);
        await using var target = NetworkNamespaces.Inside(namespaces.TargetNamespace, () => TcpEchoTarget.Start("far", address: IPAddress.Parse(namespaces.TargetAddress)));
        var template = new NlbTemplate
        {
            Targets = [(namespaces.TargetAddress, target.Port)],
            TargetGroupAttributes = new Dictionary<string, string> { ["preserve_client_ip.enabled"] = "true" },
        };
        var routed = slice with
        {
            Subnets =
            [
                new Subnet(LoopbackSubnets.SubnetA, "us-east-1a", namespaces.SubnetA),
                new Subnet(LoopbackSubnets.SubnetB, "us-east-1b", namespaces.SubnetB),
            ],
        };
        await using var harness = await ElbeHarness.StartAsync(template.ToString(), routed);
        await harness.WaitForHealthyAsync(NlbTemplate.TargetGroup, target.Port);
        Assert.Equal(namespaces.NodeA, harness.NodeAddress(NlbTemplate.LoadBalancer));

        var socket = NetworkNamespaces.Inside(namespaces.ClientNamespace, () =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(IPAddress.Parse(namespaces.ClientAddress), 0));
            return s;
        });
        await using var client = await NlbClient.ConnectAsync(socket, namespaces.NodeA, NlbTemplate.ListenerPort);
        Assert.Equal("far", client.Target);
        Assert.Equal("across namespaces", await client.EchoAsync("across namespaces"));

        var connection = Assert.Single(target.DataConnections);
        Assert.Equal((IPEndPoint)socket.LocalEndPoint!, connection.Remote);
    }

    [Fact]
    public async Task Without_preservation_the_target_sees_the_node_address()
    {
        var slice = LoopbackSubnets.Allocate();
        using var namespaces = NetworkNamespaces.Create(slice.Octet);
        await using var target = NetworkNamespaces.Inside(namespaces.TargetNamespace, () => TcpEchoTarget.Start("far", address: IPAddress.Parse(namespaces.TargetAddress)));
        var template = new NlbTemplate { Targets = [(namespaces.TargetAddress, target.Port)] };
        var routed = slice with
        {
            Subnets =
            [
                new Subnet(LoopbackSubnets.SubnetA, "us-east-1a", namespaces.SubnetA),
                new Subnet(LoopbackSubnets.SubnetB, "us-east-1b", namespaces.SubnetB),
            ],
        };
        await using var harness = await ElbeHarness.StartAsync(template.ToString(), routed);
        await harness.WaitForHealthyAsync(NlbTemplate.TargetGroup, target.Port);

        var socket = NetworkNamespaces.Inside(namespaces.ClientNamespace, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        await using var client = await NlbClient.ConnectAsync(socket, namespaces.NodeA, NlbTemplate.ListenerPort);
        Assert.Equal("hop", await client.EchoAsync("hop"));
        Assert.Equal(namespaces.NodeA, Assert.Single(target.DataConnections).Remote.Address.ToString());
    }
}
