using Elbe.Model.Attributes;
using Elbe.Model.Resources;

namespace Elbe.DataPlane.Snapshots;

/// <summary>The load balancer attributes the HTTP path reads, parsed once per snapshot.</summary>
public sealed record AlbSettings
{
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan ClientKeepAlive { get; init; } = TimeSpan.FromSeconds(3600);
    public XffMode XffMode { get; init; } = XffMode.Append;
    public bool XffClientPort { get; init; }
    public bool PreserveHostHeader { get; init; }
    public bool DropInvalidHeaderFields { get; init; }
    public string DnsName { get; init; } = "";
    /// <summary>routing.http2.enabled: whether HTTPS listeners offer h2 in ALPN.</summary>
    public bool Http2Enabled { get; init; } = true;
    /// <summary>routing.http.x_amzn_tls_version_and_cipher_suite.enabled.</summary>
    public bool TlsVersionAndCipherHeaders { get; init; }

    public static AlbSettings From(LoadBalancer loadBalancer)
    {
        var attributes = new AttributeSet(loadBalancer.Attributes, LoadBalancerAttributes.Application);
        return new AlbSettings
        {
            IdleTimeout = TimeSpan.FromSeconds(attributes.GetInt(LoadBalancerAttributes.IdleTimeout)),
            ClientKeepAlive = TimeSpan.FromSeconds(attributes.GetInt(LoadBalancerAttributes.ClientKeepAlive)),
            XffMode = attributes.Get(LoadBalancerAttributes.XffMode) switch
            {
                "preserve" => XffMode.Preserve,
                "remove" => XffMode.Remove,
                _ => XffMode.Append,
            },
            XffClientPort = attributes.GetBool(LoadBalancerAttributes.XffClientPort),
            PreserveHostHeader = attributes.GetBool(LoadBalancerAttributes.PreserveHostHeader),
            DropInvalidHeaderFields = attributes.GetBool(LoadBalancerAttributes.DropInvalidHeaderFields),
            DnsName = loadBalancer.DnsName,
            Http2Enabled = attributes.GetBool(LoadBalancerAttributes.Http2Enabled),
            TlsVersionAndCipherHeaders = attributes.GetBool("routing.http.x_amzn_tls_version_and_cipher_suite.enabled"),
        };
    }
}

public enum XffMode { Append, Preserve, Remove }
