using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Elbe.DataPlane.Forwarding;
using Elbe.Model.Security;
using Elbe.Routing.Grpc;
using Elbe.Routing.Health;
using Elbe.Routing.ProtocolVersions;

namespace Elbe.DataPlane.Health;

/// <summary>
/// Sends one health check as ALB does (section 0.4) on a fresh connection, User-Agent ELB-HealthChecker/2.0, judged
/// by the matcher within the timeout. HTTP checks are a GET of the path, judged by status code; gRPC checks (GRPC
/// groups) are a POST of an empty message to the path, judged by grpc-status. HTTPS checks never validate the
/// target's certificate.
/// </summary>
public sealed class HealthCheckProbe
{
    private static readonly ProductInfoHeaderValue UserAgent = new("ELB-HealthChecker", "2.0");
    private static readonly MediaTypeHeaderValue GrpcContentType = new("application/grpc");
    // One gRPC message frame: not compressed, zero bytes long (an empty protobuf message).
    private static readonly byte[] EmptyGrpcMessage = [0, 0, 0, 0, 0];
    // A health answer's body is read only to reach gRPC trailers; more than this is not a health answer.
    private const int MaxBodyBytes = 64 * 1024;

    private static readonly System.Net.Security.SslClientAuthenticationOptions TlsOptions = TargetTlsOptions.For(SslPolicies.Find(SslPolicies.BackendPolicyName)!);

    public async Task<HealthCheckOutcome> CheckAsync(string address, int port, HealthCheckRequest check, CancellationToken cancellationToken)
    {
        var host = address.Contains(':') ? $"[{address}]:{port}" : $"{address}:{port}";
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(check.Timeout);
        // Every check proves the target still accepts connections: it opens its own and closes it when done. Closing
        // the socket is what ends an HTTP/2 connection too, which a disposed handler may leave open.
        using var connection = new CheckConnection();
        using var client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            ConnectCallback = connection.ConnectAsync,
            ActivityHeadersPropagator = null,
            SslOptions = TlsOptions,
        });
        try
        {
            using var request = NewRequest(check, (check.UseTls ? "https://" : "http://") + host + check.Path);
            using var response = await client.SendAsync(request, timeoutSource.Token);
            var code = check.IsGrpc ? await GrpcStatusAsync(response, timeoutSource.Token) : (int)response.StatusCode;
            return check.Matcher.Matches(code) ? HealthCheckOutcome.Success : HealthCheckOutcome.CodeMismatch(code);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckOutcome.Timeout;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Refused, reset, TLS failure, unparseable response, or a request that cannot even be formed: all fail
            // the check, and none may end the target's check loop.
            return HealthCheckOutcome.ConnectionFailure;
        }
    }

    private static HttpRequestMessage NewRequest(HealthCheckRequest check, string url)
    {
        var request = new HttpRequestMessage(check.IsGrpc ? HttpMethod.Post : HttpMethod.Get, url);
        request.Headers.UserAgent.Add(UserAgent);
        if (check.Host is not null) request.Headers.Host = check.Host;
        if (check.Version.UsesHttp2())
        {
            // HTTP2 and GRPC groups are checked over HTTP/2, as their traffic is: prior knowledge on cleartext, ALPN over TLS.
            request.Version = HttpVersion.Version20;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }
        else
        {
            request.Version = HttpVersion.Version11;
            request.Headers.ConnectionClose = true;
        }
        if (check.IsGrpc)
        {
            request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
            request.Content = new ByteArrayContent(EmptyGrpcMessage);
            request.Content.Headers.ContentType = GrpcContentType;
        }
        return request;
    }

    /// <summary>
    /// The call's gRPC status: from the trailers, or from the headers of a trailers-only answer; a non-200 answer
    /// without one maps by gRPC's HTTP table (a plain HTTP/2 server's 404 is UNIMPLEMENTED), and a 200 without one
    /// is UNKNOWN, as a gRPC client would read them.
    /// </summary>
    private static async Task<int> GrpcStatusAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (StatusIn(response.Headers) is { } early) return early;
        if (response.StatusCode != HttpStatusCode.OK) return GrpcStatusCodes.FromHttpStatus((int)response.StatusCode);
        await DrainAsync(response.Content, cancellationToken);
        return StatusIn(response.TrailingHeaders) ?? GrpcStatusCodes.Unknown;
    }

    private static int? StatusIn(HttpHeaders headers) =>
        headers.NonValidated.TryGetValues("grpc-status", out var values)
        && int.TryParse(values.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var status) ? status : null;

    private static async Task DrainAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var body = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[4096];
        var total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > MaxBodyBytes) throw new HttpRequestException("The health check answer is larger than a health answer can be.");
        }
    }

    /// <summary>The one TCP connection a check uses, closed with the check.</summary>
    private sealed class CheckConnection : IDisposable
    {
        private Socket? _socket;

        public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
            _socket = socket;
            return new NetworkStream(socket, ownsSocket: true);
        }

        public void Dispose() => _socket?.Dispose();
    }
}
