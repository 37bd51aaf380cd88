using Elbe.Model.Resources;
using Elbe.Routing.Health;

namespace Elbe.Routing.Targets;

/// <summary>
/// The live state of one registered target (target id + port) in one target group. It outlives
/// configuration snapshots: a new snapshot that still holds the target reuses this object, so health,
/// in-flight counts and slow start carry over. Fields are read lock-free on the hot path.
/// </summary>
public sealed class TargetState(TargetDescription description, string address, int port, string zoneName)
{
    public TargetDescription Description { get; } = description;
    /// <summary>The IP address to connect to: the target id for ip targets, the instance's address for instance targets.</summary>
    public string Address { get; } = address;
    public int Port { get; } = port;
    public string ZoneName { get; } = zoneName;
    /// <summary>"address:port", cached because it is the forwarding destination prefix and the stickiness key.</summary>
    public string Endpoint { get; } = address.Contains(':') ? $"[{address}]:{port}" : $"{address}:{port}";
    /// <summary>"http://address:port", built once: the forwarder needs it on every request.</summary>
    public string DestinationPrefix => _destinationPrefix ??= "http://" + Endpoint;
    private string? _destinationPrefix;
    /// <summary>"https://address:port", for HTTPS target groups.</summary>
    public string TlsDestinationPrefix => _tlsDestinationPrefix ??= "https://" + Endpoint;
    private string? _tlsDestinationPrefix;

    private volatile TargetHealth _health = TargetHealth.Initial;
    private int _outstanding;
    private long _healthySinceTicks = long.MinValue;
    private volatile bool _draining;

    public TargetHealth Health { get => _health; set => _health = value; }
    public bool IsHealthy => _health.State == TargetHealthStates.Healthy;
    public bool IsDraining => _draining;
    public void MarkDraining() => _draining = true;

    /// <summary>In-flight requests; drives least_outstanding_requests and the end of draining.</summary>
    public int OutstandingRequests => Volatile.Read(ref _outstanding);
    public void RequestStarted() => Interlocked.Increment(ref _outstanding);
    public void RequestFinished() => Interlocked.Decrement(ref _outstanding);

    /// <summary>Environment.TickCount64 when the target entered slow start; long.MinValue when it is not in slow start.</summary>
    public long SlowStartSinceTicks { get => Interlocked.Read(ref _healthySinceTicks); set => Interlocked.Exchange(ref _healthySinceTicks, value); }

    private double _routingWeight = 1;

    /// <summary>
    /// Relative weight for weighted_random; 1 unless automatic target weights lowered it. Lives here
    /// because it is per target and changes independently of configuration snapshots.
    /// </summary>
    public double RoutingWeight { get => Volatile.Read(ref _routingWeight); set => Volatile.Write(ref _routingWeight, value); }

    private readonly CancellationTokenSource _cutoff = new();

    /// <summary>Cancelled when the deregistration delay ends: requests still running then are cut, as ALB cuts them (502).</summary>
    public CancellationToken Cutoff => _cutoff.Token;

    public void CutOff() => _cutoff.Cancel();
}
