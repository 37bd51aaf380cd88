using Elbe.ControlPlane.Nodes;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Tests.Nodes;

public class NodeAddressAllocatorTests
{
    private static readonly IReadOnlyList<Subnet> Subnets =
    [
        new("subnet-a", "us-east-1a", "127.1.1.0/24"),
        new("subnet-host", "us-east-1b", "10.0.0.7/32"),
        new("subnet-tiny", "us-east-1c", "127.9.9.0/29"),
    ];

    private static NodeAllocationRequest Request(string arn, params string[] subnets) =>
        new(arn, [.. subnets.Select((s, i) => new NodePlacement(s, null, $"Subnets[{i}]"))]);

    [Fact]
    public void Ranges_skip_reserved_addresses_and_single_addresses_are_shared()
    {
        var result = new NodeAddressAllocator(Subnets).Allocate([Request("lb1", "subnet-a", "subnet-host"), Request("lb2", "subnet-a", "subnet-host")]);
        Assert.Empty(result.Errors);
        Assert.Equal(["127.1.1.4", "10.0.0.7"], result.NodesByLoadBalancerArn["lb1"].Select(n => n.IpAddress));
        Assert.Equal(["127.1.1.5", "10.0.0.7"], result.NodesByLoadBalancerArn["lb2"].Select(n => n.IpAddress));
        Assert.Equal("us-east-1b", result.NodesByLoadBalancerArn["lb1"][1].ZoneName);
    }

    [Fact]
    public void Previous_addresses_are_kept()
    {
        var previous = ElbeConfiguration.Empty with
        {
            LoadBalancers = [new LoadBalancer { Arn = "lb2", Name = "b", Id = "0", DnsName = "d", Nodes = [new("subnet-a", "us-east-1a", "127.1.1.9")] }],
        };
        var result = new NodeAddressAllocator(Subnets, previous).Allocate([Request("lb1", "subnet-a"), Request("lb2", "subnet-a")]);
        Assert.Equal("127.1.1.4", result.NodesByLoadBalancerArn["lb1"][0].IpAddress);
        Assert.Equal("127.1.1.9", result.NodesByLoadBalancerArn["lb2"][0].IpAddress);
    }

    [Fact]
    public void Unknown_subnet_is_SubnetNotFound_with_the_path()
    {
        var error = Assert.Single(new NodeAddressAllocator(Subnets).Allocate([Request("lb1", "subnet-a", "subnet-x")]).Errors);
        Assert.Equal("SubnetNotFound", error.Code);
        Assert.Equal("lb1", error.ResourceArn);
        Assert.Equal("Subnets[1]", error.Path);
    }

    [Fact]
    public void A_full_subnet_is_refused_and_pins_outside_the_range_are_refused()
    {
        // A /29 has 8 addresses: 4 reserved at the start and the broadcast at the end leave 3.
        var requests = Enumerable.Range(0, 4).Select(i => Request("lb" + i, "subnet-tiny")).ToList();
        var result = new NodeAddressAllocator(Subnets).Allocate(requests);
        Assert.Equal(["127.9.9.4", "127.9.9.5", "127.9.9.6"], result.NodesByLoadBalancerArn.Values.Select(n => n[0].IpAddress).Order());
        Assert.Equal("InvalidSubnet", Assert.Single(result.Errors).Code);

        var pinned = new NodeAllocationRequest("lb", [new NodePlacement("subnet-a", "127.1.1.255", "SubnetMappings[0].PrivateIPv4Address")]);
        Assert.Equal("SubnetMappings[0].PrivateIPv4Address", Assert.Single(new NodeAddressAllocator(Subnets).Allocate([pinned]).Errors).Path);
    }

    [Fact]
    public void Addresses_held_by_load_balancers_not_being_allocated_are_not_handed_out()
    {
        // A template load allocates only the template's load balancers; one created through the API keeps 127.1.1.4.
        var previous = ElbeConfiguration.Empty with
        {
            LoadBalancers = [new LoadBalancer { Arn = "api-lb", Name = "a", Id = "0", DnsName = "d", Nodes = [new("subnet-a", "us-east-1a", "127.1.1.4")] }],
        };
        var result = new NodeAddressAllocator(Subnets, previous).Allocate([Request("template-lb", "subnet-a")]);
        Assert.Empty(result.Errors);
        Assert.Equal("127.1.1.5", result.NodesByLoadBalancerArn["template-lb"][0].IpAddress);
    }
}
