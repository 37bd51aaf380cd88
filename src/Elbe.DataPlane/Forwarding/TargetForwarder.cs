using System.Net;
using Elbe.DataPlane.Errors;
using Elbe.DataPlane.Listeners;
using Elbe.Routing.Targets;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Elbe.DataPlane.Forwarding;

/// <summary>
/// Sends a request to the chosen target through YARP's forwarder over one shared connection pool, and turns
/// forwarding failures into the status codes ALB answers (section 1.14).
/// </summary>
public sealed class TargetForwarder(IHttpForwarder forwarder) : IDisposable
{
    /// <summary>Target connect timeout (ALB: 10 s, then 504).</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    // One pool for every listener: keep-alive connections to a target are reused across clients, as ALB does.
    private readonly HttpMessageInvoker _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ActivityHeadersPropagator = null,
        ConnectTimeout = ConnectTimeout,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(55),
    });

    public async Task ForwardAsync(HttpContext context, ListenerSnapshot listener, TargetState target)
    {
        target.RequestStarted();
        ForwarderError error;
        try
        {
            error = await forwarder.SendAsync(context, target.DestinationPrefix, _client, listener.ForwarderConfig, listener.Transformer, target.Cutoff);
        }
        finally
        {
            target.RequestFinished();
        }
        if (error != ForwarderError.None) await WriteErrorAsync(context, error);
    }

    private static Task WriteErrorAsync(HttpContext context, ForwarderError error)
    {
        var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        var status = error switch
        {
            ForwarderError.RequestTimedOut => 504,
            ForwarderError.Request when IsConnectTimeout(exception) => 504,
            ForwarderError.NoAvailableDestinations => 503,
            // The client went away: ALB logs 460 and nobody sees a response.
            ForwarderError.RequestCanceled or ForwarderError.RequestBodyClient or ForwarderError.ResponseBodyClient
                when context.RequestAborted.IsCancellationRequested => 460,
            _ => 502,
        };
        if (status == 460)
        {
            context.Abort();
            return Task.CompletedTask;
        }
        return LoadBalancerErrorResponse.WriteAsync(context, status);
    }

    private static bool IsConnectTimeout(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is TimeoutException) return true;
        return false;
    }

    public void Dispose() => _client.Dispose();
}
