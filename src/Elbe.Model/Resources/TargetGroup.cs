using System.Collections.Immutable;

namespace Elbe.Model.Resources;

public sealed record TargetGroup
{
    public required string Arn { get; init; }
    public required string Name { get; init; }
    public string? Protocol { get; init; } = "HTTP";
    public int? Port { get; init; }
    public string VpcId { get; init; } = Zones.DefaultVpcId;
    /// <summary>instance, ip, lambda or alb.</summary>
    public string TargetType { get; init; } = "instance";
    public string? ProtocolVersion { get; init; } = "HTTP1";
    public string IpAddressType { get; init; } = "ipv4";
    public HealthCheckSettings HealthCheck { get; init; } = new();
    public ImmutableArray<TargetDescription> Targets { get; init; } = [];
    /// <summary>Only the keys a user set; <see cref="Attributes.TargetGroupAttributes"/> supplies defaults.</summary>
    public ImmutableSortedDictionary<string, string> Attributes { get; init; } = ImmutableSortedDictionary<string, string>.Empty;
    public ImmutableArray<Tag> Tags { get; init; } = [];
    /// <summary>The port a target's control agent listens on (new in ELBv2); null when unset.</summary>
    public int? TargetControlPort { get; init; }
}

/// <summary>Defaults are ALB's for an HTTP/HTTPS instance or ip target group.</summary>
public sealed record HealthCheckSettings
{
    public bool Enabled { get; init; } = true;
    public string Protocol { get; init; } = "HTTP";
    /// <summary>A port number or "traffic-port".</summary>
    public string Port { get; init; } = "traffic-port";
    public string Path { get; init; } = "/";
    public int IntervalSeconds { get; init; } = 30;
    public int TimeoutSeconds { get; init; } = 5;
    public int HealthyThresholdCount { get; init; } = 5;
    public int UnhealthyThresholdCount { get; init; } = 2;
    /// <summary>"200", "200,202" or "200-299".</summary>
    public string MatcherHttpCode { get; init; } = "200";
    public string? MatcherGrpcCode { get; init; }
}

/// <summary>A registered target: an instance id, an IP address, or a Lambda/ALB ARN.</summary>
public sealed record TargetDescription(string Id, int? Port = null, string? AvailabilityZone = null)
{
    /// <summary>QUIC and TCP_QUIC target groups only: 0x and 16 lowercase hex digits.</summary>
    public string? QuicServerId { get; init; }
}
