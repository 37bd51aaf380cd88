namespace Elbe.Routing.ProtocolVersions;

/// <summary>
/// What a request looks like for ALB's protocol-version table (fact sheet 1.10): HTTP/1.x, HTTP/2, or gRPC, which
/// is HTTP/2 with a gRPC content type. gRPC-Web is not gRPC here: it is plain HTTP to the load balancer.
/// </summary>
public enum ClientProtocol
{
    Http1,
    Http2,
    Grpc,
}

public static class ClientProtocols
{
    private const string GrpcContentType = "application/grpc";

    /// <param name="httpProtocol">The request's protocol as servers report it ("HTTP/1.1", "HTTP/2", ...).</param>
    /// <param name="contentType">The request's Content-Type header, if any.</param>
    public static ClientProtocol Classify(string httpProtocol, string? contentType)
    {
        if (!IsHttp2OrLater(httpProtocol)) return ClientProtocol.Http1;
        return IsGrpcContentType(contentType) ? ClientProtocol.Grpc : ClientProtocol.Http2;
    }

    private static bool IsHttp2OrLater(string protocol) =>
        protocol.Length >= 6 && protocol.StartsWith("HTTP/", StringComparison.Ordinal) && protocol[5] >= '2' && protocol[5] <= '9';

    /// <summary>application/grpc, application/grpc+proto, application/grpc;charset=... — but not application/grpc-web.</summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(GrpcContentType, StringComparison.OrdinalIgnoreCase)) return false;
        if (contentType.Length == GrpcContentType.Length) return true;
        var next = contentType[GrpcContentType.Length];
        return next is '+' or ';' or ' ';
    }
}
