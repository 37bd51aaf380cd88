using System.Globalization;
using Elbe.Routing.Grpc;
using Elbe.Routing.ProtocolVersions;
using Microsoft.AspNetCore.Http;

namespace Elbe.DataPlane.Errors;

/// <summary>
/// An error the load balancer answers itself, as a gRPC client understands it: HTTP 200 with grpc-status and
/// grpc-message in the headers and no body (a gRPC "trailers-only" response), so the client sees a gRPC status
/// rather than an HTML page it cannot parse.
/// </summary>
public static class GrpcErrorResponse
{
    /// <summary>gRPC requests (HTTP/2, gRPC content type) get gRPC errors; everything else gets ALB's HTML pages.</summary>
    public static bool Applies(HttpRequest request) =>
        ClientProtocols.Classify(request.Protocol, request.ContentType) == ClientProtocol.Grpc;

    public static Task WriteAsync(HttpContext context, int httpStatus)
    {
        var response = context.Response;
        response.Clear();
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers.Server = LoadBalancerErrorResponse.ServerHeader;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = GrpcStatusCodes.FromHttpStatus(httpStatus).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Message(httpStatus);
        return Task.CompletedTask;
    }

    /// <summary>The status line ALB would have sent, percent-encoded as grpc-message requires (only ASCII letters, digits and spaces here).</summary>
    private static string Message(int httpStatus) =>
        string.Create(CultureInfo.InvariantCulture, $"{httpStatus} {LoadBalancerErrorResponse.ReasonPhrase(httpStatus)}");
}
