using Elbe.Model.Resources;

namespace Elbe.Api.Tests.Infrastructure;

/// <summary>
/// Gives every API server in this test process three /24 subnets of loopback of its own, in zones a-c with the
/// default subnet ids, so load balancers created by parallel tests never bind the same node address. The slices
/// live in 127.240.0.0-127.249.255.255: the end-to-end tests use 127.20-239 and 127.250, and both suites may run
/// at the same time.
/// </summary>
public static class ApiSubnets
{
    public const string SubnetA = "subnet-0000000000000000a";
    public const string SubnetB = "subnet-0000000000000000b";
    public const string SubnetC = "subnet-0000000000000000c";

    private const int FirstOctet = 240;
    private const int Octets = 10;
    private const int SlicesPerOctet = 84;
    private static int allocated = -1;

    public static IReadOnlyList<Subnet> Allocate(string region = TestCredentials.Region)
    {
        var slice = Interlocked.Increment(ref allocated);
        if (slice >= Octets * SlicesPerOctet)
            throw new InvalidOperationException("Ran out of loopback subnets for API test servers.");
        var second = FirstOctet + slice / SlicesPerOctet;
        var third = 1 + 3 * (slice % SlicesPerOctet);
        return
        [
            new(SubnetA, region + "a", $"127.{second}.{third}.0/24"),
            new(SubnetB, region + "b", $"127.{second}.{third + 1}.0/24"),
            new(SubnetC, region + "c", $"127.{second}.{third + 2}.0/24"),
        ];
    }
}
