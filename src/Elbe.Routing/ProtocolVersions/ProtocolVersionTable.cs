namespace Elbe.Routing.ProtocolVersions;

/// <summary>
/// ALB's table of which requests a target group of each protocol version takes (fact sheet 1.10); every other
/// combination is answered 464.
/// <code>
/// client \ group   HTTP1        HTTP2   GRPC
/// HTTP/1.1         ok           464     464
/// HTTP/2           ok (to 1.1)  ok      ok if POST, else 464
/// gRPC             464          ok      ok
/// </code>
/// </summary>
public static class ProtocolVersionTable
{
    public const int IncompatibleStatus = 464;

    public static bool Admits(TargetProtocolVersion group, ClientProtocol client, string method) => group switch
    {
        TargetProtocolVersion.Http1 => client != ClientProtocol.Grpc,
        TargetProtocolVersion.Http2 => client != ClientProtocol.Http1,
        TargetProtocolVersion.Grpc => client == ClientProtocol.Grpc || (client == ClientProtocol.Http2 && string.Equals(method, "POST", StringComparison.OrdinalIgnoreCase)),
        _ => false,
    };
}
