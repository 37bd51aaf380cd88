using Elbe.Model.Resources;

namespace Elbe.Hosting;

public sealed record ElbeServerOptions
{
    /// <summary>A CloudFormation template (YAML or JSON); watched and re-applied when it changes.</summary>
    public string? ConfigPath { get; init; }
    public string Region { get; init; } = "us-east-1";
    public string DataDirectory { get; init; } = "./data";
    /// <summary>HOST:PORT of the ELBv2 Query API; null serves no API (`elbe serve` defaults to 127.0.0.1:4580).</summary>
    public string? ApiEndpoint { get; init; }
    /// <summary>The key pair the API accepts; null takes ELBE_ACCESS_KEY_ID/ELBE_SECRET_ACCESS_KEY, else a pair generated into the data directory.</summary>
    public string? AccessKeyId { get; init; }
    public string? SecretAccessKey { get; init; }
    /// <summary>
    /// Subnets and the addresses their nodes bind to. Null means the default VPC on loopback
    /// (127.1.1.0/24, 127.1.2.0/24, 127.1.3.0/24).
    /// </summary>
    public IReadOnlyList<Subnet>? Subnets { get; init; }
    /// <summary>
    /// Multiplies health-check intervals and timeouts and slow-start durations. 1 in production; tests and
    /// demos use less so AWS's minimums (5 s interval, 30 s slow start) do not make them slow.
    /// </summary>
    public double TimeScale { get; init; } = 1.0;

    /// <summary>
    /// Overrides the startup probe for client IP preservation: a reason here makes the server act as a host that
    /// cannot preserve client IPs. Tests use it to reach that refusal on a host that can; null probes the host.
    /// </summary>
    public string? ClientIpPreservationUnavailable { get; init; }

    /// <summary>UDP flows each Network Load Balancer node socket holds before it evicts the one idle longest.</summary>
    public int UdpFlowCapacity { get; init; } = Elbe.DataPlane.LoadBalancingDataPlane.DefaultUdpFlowCapacity;
}
