using System.Collections.Immutable;

namespace Elbe.Model.Resources;

public sealed record Listener
{
    public required string Arn { get; init; }
    public required string LoadBalancerArn { get; init; }
    public required int Port { get; init; }
    public required string Protocol { get; init; }
    public ImmutableArray<RuleAction> DefaultActions { get; init; } = [];
    public ImmutableArray<string> CertificateArns { get; init; } = [];
    public string? SslPolicy { get; init; }
    public ImmutableSortedDictionary<string, string> Attributes { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>Certificates added with AddListenerCertificates, beyond the default one (<see cref="CertificateArns"/>[0]).</summary>
    public ImmutableArray<string> AdditionalCertificateArns { get; init; } = [];
    /// <summary>TLS listeners: HTTP1Only, HTTP2Only, HTTP2Optional, HTTP2Preferred or None.</summary>
    public ImmutableArray<string> AlpnPolicy { get; init; } = [];
    public ListenerMutualAuthentication? MutualAuthentication { get; init; }
    public ImmutableArray<Tag> Tags { get; init; } = [];
}

/// <summary>Mutual TLS on an HTTPS listener: off, passthrough (certificate forwarded in headers) or verify (against a trust store).</summary>
public sealed record ListenerMutualAuthentication
{
    public string Mode { get; init; } = "off";
    public string? TrustStoreArn { get; init; }
    public bool? IgnoreClientCertificateExpiry { get; init; }
    /// <summary>"on"/"off".</summary>
    public string? AdvertiseTrustStoreCaNames { get; init; }
}
