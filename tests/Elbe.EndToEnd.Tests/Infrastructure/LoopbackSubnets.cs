using Elbe.Model.Resources;

namespace Elbe.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Hands every ElbeServer in this test process its own slice of loopback, 127.{octet}.0.0/16, so node addresses
/// of servers running in parallel never collide. Clients that need a distinct source address use
/// <see cref="ClientAddress"/>, which lies outside every slice.
/// </summary>
public static class LoopbackSubnets
{
    public const string SubnetA = "subnet-0000000000000000a";
    public const string SubnetB = "subnet-0000000000000000b";
    public const string SubnetC = "subnet-0000000000000000c";

    // ELBE_TEST_FIRST_OCTET moves the slices, so suites of several checkouts can run side by side on one host.
    private static readonly int FirstOctet = int.TryParse(Environment.GetEnvironmentVariable("ELBE_TEST_FIRST_OCTET"), out var first) ? first : 20;
    private const int LastOctet = 239;
    private static int allocated = -1;

    public static LoopbackSlice Allocate()
    {
        var octet = FirstOctet + Interlocked.Increment(ref allocated);
        if (octet > LastOctet)
            throw new InvalidOperationException("Ran out of loopback slices for load balancer nodes; the suite starts more servers than it should.");
        return new LoopbackSlice(octet);
    }

    /// <summary>A client source address in 127.250.0.0/16, which no load balancer node ever uses.</summary>
    public static System.Net.IPAddress ClientAddress(int third, int fourth) => System.Net.IPAddress.Parse($"127.250.{third}.{fourth}");
}

/// <summary>One server's loopback addresses: three /24 subnets in zones a-c, and an API endpoint beside them.</summary>
public sealed record LoopbackSlice(int Octet)
{
    /// <summary>Tests that route real interfaces replace these with their own.</summary>
    public IReadOnlyList<Subnet> Subnets { get; init; } =
    [
        new(LoopbackSubnets.SubnetA, "us-east-1a", $"127.{Octet}.1.0/24"),
        new(LoopbackSubnets.SubnetB, "us-east-1b", $"127.{Octet}.2.0/24"),
        new(LoopbackSubnets.SubnetC, "us-east-1c", $"127.{Octet}.3.0/24"),
    ];

    public string ApiEndpoint => $"127.{Octet}.0.10:4580";

    /// <summary>An address inside zone <paramref name="zoneIndex"/>'s subnet (0 = a) that no load balancer node takes, for a target in that zone.</summary>
    public System.Net.IPAddress TargetAddress(int zoneIndex) => System.Net.IPAddress.Parse($"127.{Octet}.{zoneIndex + 1}.200");

    /// <summary>AWS reserves .0-.3 of a subnet, so the first load balancer in subnet a gets .4.</summary>
    public string FirstNodeAddress => $"127.{Octet}.1.4";
}
