using System.Net;
using Elbe.DataPlane.Errors;
using Elbe.Routing.Rules;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Elbe.DataPlane.Listeners;

/// <summary>
/// The per-request path of an HTTP listener: the checks ALB makes before routing (section 1.14), rule
/// evaluation, then the matched rule's action.
/// </summary>
public sealed class ListenerRequestHandler(ListenerRuntime runtime)
{
    private const int MaxForwardedForAddresses = 30;
    private const int MaxHeaderBytes = 16 * 1024;
    private const int MaxHeadersTotalBytes = 64 * 1024;

    public Task HandleAsync(HttpContext context)
    {
        var snapshot = runtime.Current;
        var request = context.Request;
        TrackConnection(context, snapshot.Settings.ClientKeepAlive);

        if (!HeadersWithinLimits(request.Headers)) return LoadBalancerErrorResponse.WriteAsync(context, 400);
        if (HttpMethods.IsTrace(request.Method)) return LoadBalancerErrorResponse.WriteAsync(context, 405);
        if (CountForwardedFor(request.Headers["X-Forwarded-For"]) > MaxForwardedForAddresses)
            return LoadBalancerErrorResponse.WriteAsync(context, 463);
        if (!TransferEncodingSupported(request.Headers.TransferEncoding)) return LoadBalancerErrorResponse.WriteAsync(context, 501);

        var routing = new RoutingRequest(
            request.Method,
            request.Headers.Host.Count == 0 ? null : request.Headers.Host[0],
            RawRequestTarget.Path(context),
            RawRequestTarget.Query(context),
            context.Connection.RemoteIpAddress ?? IPAddress.Loopback,
            request.Headers);
        return snapshot.Rules.Match(routing).Payload.ExecuteAsync(context, snapshot);
    }

    /// <summary>
    /// ALB's hard limits: one header line 16 K, all headers 64 K, answered 400. Kestrel's own limits are set
    /// above these so the request reaches this check and gets ALB's page instead of Kestrel's 431.
    /// </summary>
    private static bool HeadersWithinLimits(IHeaderDictionary headers)
    {
        var total = 0;
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                var line = name.Length + 2 + (value?.Length ?? 0);
                if (line > MaxHeaderBytes) return false;
                total += line + 2;
            }
        }
        return total <= MaxHeadersTotalBytes;
    }

    private static int CountForwardedFor(StringValues values)
    {
        var count = 0;
        foreach (var value in values)
        {
            if (string.IsNullOrWhiteSpace(value)) continue;
            count += value.AsSpan().Count(',') + 1;
        }
        return count;
    }

    /// <summary>Only chunked and identity are accepted; anything else is answered 501.</summary>
    private static bool TransferEncodingSupported(StringValues values)
    {
        foreach (var value in values)
        {
            var text = value.AsSpan();
            foreach (var range in text.Split(','))
            {
                var coding = text[range].Trim();
                var semicolon = coding.IndexOf(';');
                if (semicolon >= 0) coding = coding[..semicolon].Trim();
                if (coding.Length == 0) continue;
                if (!coding.Equals("chunked", StringComparison.OrdinalIgnoreCase) && !coding.Equals("identity", StringComparison.OrdinalIgnoreCase))
                    return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Marks the connection busy until the response is fully written, so only Kestrel's own responses get
    /// rewritten; and applies client_keep_alive.seconds: a connection older than that is closed after this response.
    /// </summary>
    private static void TrackConnection(HttpContext context, TimeSpan keepAlive)
    {
        if (context.Features.Get<ConnectionActivity>() is not { } activity) return;
        activity.RequestStarted(context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? true);
        context.Response.OnCompleted(ConnectionActivity.RequestCompleted, activity);
        var requests = activity.CountRequest();
        if (HttpProtocol.IsHttp2(context.Request.Protocol))
        {
            // HTTP/2 has no Connection: close; ALB sends GOAWAY, which is what asking Kestrel to close does.
            if (requests >= MaxHttp2RequestsPerConnection || Environment.TickCount64 - activity.OpenedAtTicks >= (long)keepAlive.TotalMilliseconds)
                context.Features.Get<IConnectionLifetimeNotificationFeature>()?.RequestClose();
            return;
        }
        if (Environment.TickCount64 - activity.OpenedAtTicks >= (long)keepAlive.TotalMilliseconds)
            context.Response.Headers.Connection = "close";
    }

    /// <summary>ALB closes an HTTP/2 client connection (GOAWAY) after this many requests on it.</summary>
    public const int MaxHttp2RequestsPerConnection = 10_000;
}
