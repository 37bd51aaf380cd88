using System.Collections.Frozen;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Elbe.DataPlane.Errors;

/// <summary>
/// The responses the load balancer answers itself (section 1.14): a status code and the small HTML page
/// ALB sends, with its Server header. Bodies are prebuilt so an error costs no formatting. A gRPC request gets
/// the same error as a gRPC status instead (<see cref="GrpcErrorResponse"/>).
/// </summary>
public static class LoadBalancerErrorResponse
{
    public const string ServerHeader = "awselb/2.0";

    private static readonly FrozenDictionary<int, string> Reasons = new Dictionary<int, string>
    {
        [400] = "Bad Request", [401] = "Authorization Required", [403] = "Forbidden", [405] = "Method Not Allowed", [404] = "Not Found",
        [408] = "Request Time-out", [413] = "Request Entity Too Large", [414] = "Request-URI Too Large",
        [460] = "Client Closed Request", [463] = "Bad Request", [464] = "Bad Request", [500] = "Internal Server Error",
        [501] = "Not Implemented", [502] = "Bad Gateway", [503] = "Service Temporarily Unavailable",
        [504] = "Gateway Time-out", [505] = "HTTP Version Not Supported", [561] = "Unauthorized",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<int, byte[]> Pages = Reasons.ToFrozenDictionary(kv => kv.Key, kv => Encoding.ASCII.GetBytes(
        $"<html>\r\n<head><title>{kv.Key} {kv.Value}</title></head>\r\n<body>\r\n<center><h1>{kv.Key} {kv.Value}</h1></center>\r\n</body>\r\n</html>\r\n"));

    public static string ReasonPhrase(int statusCode) => Reasons.TryGetValue(statusCode, out var reason) ? reason : "Error";

    public static byte[] Page(int statusCode) => Pages.TryGetValue(statusCode, out var page) ? page : Pages[500];

    /// <summary>Writes the error unless the response has already started, in which case the connection is aborted (the client sees a truncated response, as from ALB).</summary>
    public static Task WriteAsync(HttpContext context, int statusCode)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            context.Abort();
            return Task.CompletedTask;
        }
        if (GrpcErrorResponse.Applies(context.Request)) return GrpcErrorResponse.WriteAsync(context, statusCode);
        response.Clear();
        response.StatusCode = statusCode;
        response.Headers.Server = ServerHeader;
        response.ContentType = "text/html";
        var page = Page(statusCode);
        response.ContentLength = page.Length;
        return response.Body.WriteAsync(page, 0, page.Length);
    }
}
