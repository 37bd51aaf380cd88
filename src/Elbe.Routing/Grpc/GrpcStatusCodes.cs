namespace Elbe.Routing.Grpc;

/// <summary>
/// gRPC status codes the load balancer reads (health checks) or answers (its own errors to gRPC clients), and the
/// mapping from an HTTP status to one.
/// </summary>
public static class GrpcStatusCodes
{
    public const int Ok = 0;
    public const int Unknown = 2;
    public const int PermissionDenied = 7;
    public const int Unimplemented = 12;
    public const int Internal = 13;
    public const int Unavailable = 14;
    public const int Unauthenticated = 16;

    /// <summary>
    /// gRPC's published HTTP-to-gRPC table (grpc/doc/http-grpc-status-mapping.md), the one a gRPC client applies to
    /// an HTTP error without grpc-status. AWS documents no mapping of its own for the errors ALB answers to gRPC
    /// requests (502, 503, 504, 464 ...), so the load balancer uses this one: a client gets the same code whether it
    /// reads our grpc-status or maps the HTTP status itself. Codes outside the table (464, 408, 505 ...) are UNKNOWN.
    /// </summary>
    public static int FromHttpStatus(int httpStatus) => httpStatus switch
    {
        400 => Internal,
        401 => Unauthenticated,
        403 => PermissionDenied,
        404 => Unimplemented,
        429 or 502 or 503 or 504 => Unavailable,
        _ => Unknown,
    };
}
