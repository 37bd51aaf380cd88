using System.Net;
using Elbe.DataPlane.Errors;
using Elbe.DataPlane.Forwarding.Http1;
using Elbe.DataPlane.Listeners;
using Elbe.DataPlane.Targets;
using Elbe.Model.Security;
using Elbe.Routing.Targets;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Elbe.DataPlane.Forwarding;

/// <summary>
/// Sends a request to the chosen target through YARP's forwarder, and turns forwarding failures into the status
/// codes ALB answers (section 1.14). The target group decides the scheme (HTTP or HTTPS) and the HTTP version
/// (<see cref="TargetRequestConfigs"/>); request and response bodies stream both ways unbuffered and trailers pass
/// through, which is what gRPC streaming needs. Plain HTTP/1.1 exchanges, the common case, take the leaner
/// <see cref="Http1Forwarder"/> instead; YARP keeps HTTP/2 and gRPC groups and upgrades.
/// </summary>
public sealed class TargetForwarder(IHttpForwarder forwarder) : IDisposable
{
    // One pool per back-end TLS policy, shared by every listener: keep-alive connections to a target are reused
    // across clients, as ALB does. A pool serves both HTTP versions and both schemes, since connections are pooled
    // per scheme, host and port, and the version is chosen per request.
    private readonly HttpMessageInvoker _defaultPolicyClient = NewClient(SslPolicies.Find(SslPolicies.BackendPolicyName)!);
    private readonly HttpMessageInvoker _tls13PolicyClient = NewClient(SslPolicies.Find(SslPolicies.Tls13BackendPolicyName)!);

    private static HttpMessageInvoker NewClient(SslPolicy tlsPolicy) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ActivityHeadersPropagator = null,
        ConnectTimeout = TargetConnection.SetupTimeout,
        ConnectCallback = TargetConnection.ConnectAsync,
        PlaintextStreamFilter = TargetConnection.DisarmHandshakeDeadline,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(55),
        SslOptions = TargetTlsOptions.For(tlsPolicy),
    });

    private readonly Http1Forwarder _http1 = new();

    public Task ForwardAsync(HttpContext context, ListenerSnapshot listener, TargetState target, TargetGroupSettings group) =>
        Http1Forwarder.Handles(context, group) ? _http1.ForwardAsync(context, listener, target, group) : ForwardThroughYarpAsync(context, listener, target, group);

    private async Task ForwardThroughYarpAsync(HttpContext context, ListenerSnapshot listener, TargetState target, TargetGroupSettings group)
    {
        var requests = listener.TargetRequests;
        var prefix = group.TargetsUseTls ? target.TlsDestinationPrefix : target.DestinationPrefix;
        var client = requests.UsesTls13BackendPolicy ? _tls13PolicyClient : _defaultPolicyClient;
        target.RequestStarted();
        ForwarderError error;
        try
        {
            error = await forwarder.SendAsync(context, prefix, client, requests.For(group.ProtocolVersion), listener.Transformer, target.Cutoff);
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
            // A connect timeout is a 504; the handler's own timeout past a connected socket is a stalled TLS handshake: 502.
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
            if (e is TargetConnectTimeoutException) return true;
        return false;
    }

    public void Dispose()
    {
        _defaultPolicyClient.Dispose();
        _tls13PolicyClient.Dispose();
        _http1.Dispose();
    }
}
