namespace Elbe.Routing.ProtocolVersions;

/// <summary>A target group's ProtocolVersion (fact sheet 1.10): the HTTP version the load balancer speaks to its targets.</summary>
public enum TargetProtocolVersion
{
    /// <summary>HTTP/1.1 to targets; the default.</summary>
    Http1,
    /// <summary>HTTP/2 to targets.</summary>
    Http2,
    /// <summary>HTTP/2 to targets, carrying gRPC; health checks are gRPC calls.</summary>
    Grpc,
}

public static class TargetProtocolVersions
{
    /// <summary>The API's spelling (HTTP1, HTTP2, GRPC); anything else, or none, is HTTP1.</summary>
    public static TargetProtocolVersion Parse(string? text) => text switch
    {
        "HTTP2" => TargetProtocolVersion.Http2,
        "GRPC" => TargetProtocolVersion.Grpc,
        _ => TargetProtocolVersion.Http1,
    };

    /// <summary>True when requests reach targets of this version over HTTP/2.</summary>
    public static bool UsesHttp2(this TargetProtocolVersion version) => version != TargetProtocolVersion.Http1;
}
