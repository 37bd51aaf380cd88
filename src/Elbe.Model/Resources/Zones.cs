namespace Elbe.Model.Resources;

/// <summary>
/// The default VPC: one subnet per zone, each a /24 of loopback so every load balancer node
/// gets its own address on this machine without any network setup.
/// </summary>
public static class Zones
{
    public const string DefaultVpcId = "vpc-00000000000000000";

    public static IReadOnlyList<Subnet> DefaultSubnets(string region) =>
    [
        new("subnet-0000000000000000a", region + "a", "127.1.1.0/24"),
        new("subnet-0000000000000000b", region + "b", "127.1.2.0/24"),
        new("subnet-0000000000000000c", region + "c", "127.1.3.0/24"),
    ];
}

/// <summary>
/// A subnet and where its nodes bind. A range (/24 and the like) gives each load balancer node the next
/// free address in it; a single address (/32, e.g. a real interface) is shared by every node in the subnet.
/// </summary>
public sealed record Subnet(string SubnetId, string ZoneName, string Cidr);
