using System.Net;
using Elbe.Model.Security;
using Elbe.Routing.ProtocolVersions;
using Yarp.ReverseProxy.Forwarder;

namespace Elbe.DataPlane.Forwarding;

/// <summary>
/// How one listener's requests go to targets, by the target group's protocol version (fact sheet 1.10): HTTP/1.1
/// for HTTP1 groups; HTTP/2 and nothing else for HTTP2 and GRPC groups (prior knowledge on cleartext, ALPN h2 over
/// TLS). Both carry the listener's idle timeout. Built once per listener snapshot.
/// </summary>
public sealed class TargetRequestConfigs
{
    public TargetRequestConfigs(TimeSpan idleTimeout, string? listenerSslPolicy)
    {
        Http1 = new ForwarderRequestConfig { ActivityTimeout = idleTimeout, Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
        Http2 = new ForwarderRequestConfig { ActivityTimeout = idleTimeout, Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        UsesTls13BackendPolicy = SslPolicies.BackendPolicyFor(listenerSslPolicy).Name == SslPolicies.Tls13BackendPolicyName;
    }

    public ForwarderRequestConfig Http1 { get; }
    public ForwarderRequestConfig Http2 { get; }
    /// <summary>HTTPS targets get the TLS 1.3 back-end policy behind a listener with a TLS 1.3 policy, the default one otherwise.</summary>
    public bool UsesTls13BackendPolicy { get; }

    public ForwarderRequestConfig For(TargetProtocolVersion version) => version.UsesHttp2() ? Http2 : Http1;
}
