using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Elbe.DataPlane.Errors;
using Elbe.DataPlane.Listeners;
using Elbe.DataPlane.Targets;
using Elbe.Model.Security;
using Elbe.Routing.Http1;
using Elbe.Routing.ProtocolVersions;
using Elbe.Routing.Targets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Elbe.DataPlane.Forwarding.Http1;

/// <summary>
/// Forwards a request to a target of an HTTP1 target group (HTTP, or HTTPS with the back-end TLS policy) without
/// HttpRequestMessage or HttpClient: the request head is written straight into a pooled target connection's output
/// buffer (with ALB's rewrite from
/// <see cref="AlbRequestTransformer.Rewrite"/>), the body streamed with its framing, the response head parsed strictly
/// (<see cref="Http1ResponseParser"/>) and copied into Kestrel's response, and the body relayed by its framing.
/// Errors map as on the YARP path (fact sheet 1.11, 1.14): refused, reset or malformed ⇒ 502, connect timeout or a
/// target silent past the idle timeout ⇒ 504, deregistration cut-off ⇒ 502, client gone ⇒ 460 (abort).
/// </summary>
public sealed class Http1Forwarder : IDisposable
{
    /// <summary>Set ELBE_HTTP1_FORWARDER=yarp to send everything through YARP (for A/B measurements).</summary>
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("ELBE_HTTP1_FORWARDER") != "yarp";

    // Plain HTTP targets, and HTTPS targets under each back-end TLS policy: a connection serves one of them only.
    private readonly TargetConnectionPool _plain = new();
    private readonly TargetConnectionPool _tls = new();
    private readonly TargetConnectionPool _tls13 = new();
    private static readonly SslPolicy DefaultBackendPolicy = SslPolicies.Find(SslPolicies.BackendPolicyName)!;
    private static readonly SslPolicy Tls13BackendPolicy = SslPolicies.Find(SslPolicies.Tls13BackendPolicyName)!;

    private enum Outcome { Reusable, Spent, Retry, BadGateway, GatewayTimeout, BadRequest, ClientGone }

    /// <summary>
    /// Whether this path takes the request: HTTP/1.1 targets (HTTP or HTTPS), and a request that is not an upgrade or CONNECT
    /// (WebSockets stay on YARP) and has an origin-form target to send on as received.
    /// </summary>
    public static bool Handles(HttpContext context, TargetGroupSettings group)
    {
        if (!Enabled || group.ProtocolVersion.UsesHttp2()) return false;
        var request = context.Request;
        if (request.Headers.Upgrade.Count > 0 || HttpMethods.IsConnect(request.Method)) return false;
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return raw is { Length: > 0 } && raw[0] == '/';
    }

    public async Task ForwardAsync(HttpContext context, ListenerSnapshot listener, TargetState target, TargetGroupSettings group)
    {
        var tlsPolicy = !group.TargetsUseTls ? null : listener.TargetRequests.UsesTls13BackendPolicy ? Tls13BackendPolicy : DefaultBackendPolicy;
        var pool = tlsPolicy is null ? _plain : ReferenceEquals(tlsPolicy, Tls13BackendPolicy) ? _tls13 : _tls;
        var request = context.Request;
        var framing = request.ContentLength is not null ? RequestBodyFraming.ContentLength
            : context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true ? RequestBodyFraming.Chunked
            : RequestBodyFraming.None;
        var hasBody = framing == RequestBodyFraming.Chunked || request.ContentLength > 0;
        var isHead = HttpMethods.IsHead(request.Method);
        var idle = (long)listener.Settings.IdleTimeout.TotalMilliseconds;
        var outcome = Outcome.BadGateway;
        target.RequestStarted();
        try
        {
            for (var attempt = 0; attempt < 2; attempt++)
            {
                // The retry takes a fresh connection: when a target restarted, every pooled one is dead.
                // A TLS connection may hold post-handshake records (session tickets) that are not a close: only plain ones are polled.
                var connection = attempt == 0 ? pool.Rent(target.Endpoint, mustBeQuiet: hasBody && tlsPolicy is null) : null;
                var reused = connection is not null;
                if (connection is null)
                {
                    try
                    {
                        connection = await Http1TargetConnection.ConnectAsync(target.Address, target.Port, target.Endpoint,
                            tlsPolicy is null ? null : TargetTlsOptions.For(tlsPolicy));
                    }
                    catch (TargetConnectTimeoutException)
                    {
                        outcome = Outcome.GatewayTimeout;
                        break;
                    }
                    catch (Exception)
                    {
                        outcome = context.RequestAborted.IsCancellationRequested ? Outcome.ClientGone : Outcome.BadGateway;
                        break;
                    }
                    pool.Track(connection);
                }

                // The exchange up to the response head, inline so a request costs one state machine.
                connection.BeginExchange(context.RequestAborted, target.Cutoff);
                var received = false;
                var bodyStarted = false;
                var headRead = false;
                try
                {
                    var edits = connection.Edits;
                    edits.Clear();
                    listener.Transformer.Rewrite(context, ref edits);
                    Http1RequestHead.Write(connection.Output, request, context.Features.Get<IHttpRequestFeature>()!.RawTarget, edits, framing, ref connection.RequestHeaderScratch);
                    connection.Arm(idle);
                    if (hasBody)
                    {
                        bodyStarted = true;
                        await SendBodyAsync(request.BodyReader, connection, framing == RequestBodyFraming.Chunked, idle);
                    }
                    else await connection.Output.FlushAsync();

                    var head = connection.Head;
                    var input = connection.Input;
                    while (true)
                    {
                        var parsed = Http1ResponseParser.ParseHead(input.Span, isHead, head, out var consumed);
                        if (parsed == Http1ParseResult.Complete)
                        {
                            input.Consume(consumed);
                            if (head.IsInterim) continue;
                            headRead = true;
                            break;
                        }
                        if (parsed == Http1ParseResult.Invalid)
                        {
                            outcome = Outcome.BadGateway;
                            break;
                        }
                        connection.Arm(idle);
                        var read = await input.ReceiveMoreAsync();
                        input.Received(read);
                        if (read == 0)
                        {
                            outcome = Failure(context, connection, retryable: !received && !bodyStarted);
                            break;
                        }
                        received = true;
                    }
                    connection.Disarm();
                }
                catch (BadHttpRequestException)
                {
                    // The client's body ended early or broke its framing: ALB's 400.
                    outcome = context.RequestAborted.IsCancellationRequested ? Outcome.ClientGone : Outcome.BadRequest;
                }
                catch (Exception)
                {
                    outcome = Failure(context, connection, retryable: !received && !bodyStarted);
                }

                if (headRead) outcome = await RelayResponseAsync(context, connection, isHead, idle);
                if (outcome == Outcome.Reusable) pool.Return(connection);
                else pool.Discard(connection);
                // A pooled connection the target closed while it sat idle fails before anything is lost: once more on a fresh one.
                if (outcome != Outcome.Retry || !reused) break;
            }
        }
        finally
        {
            target.RequestFinished();
        }
        switch (outcome)
        {
            case Outcome.Reusable or Outcome.Spent:
                return;
            case Outcome.ClientGone:
                context.Abort();
                return;
            case Outcome.GatewayTimeout:
                await LoadBalancerErrorResponse.WriteAsync(context, 504);
                return;
            case Outcome.BadRequest:
                await LoadBalancerErrorResponse.WriteAsync(context, 400);
                return;
            default:
                await LoadBalancerErrorResponse.WriteAsync(context, 502);
                return;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<Outcome> RelayResponseAsync(HttpContext context, Http1TargetConnection connection, bool isHead, long idle)
    {
        var head = connection.Head;
        var response = context.Response;
        try
        {
            response.StatusCode = head.StatusCode;
            var headers = response.Headers;
            foreach (var header in head.Headers) headers.Append(header.Key, header.Value);
            if (head.Framing == Http1BodyFraming.ContentLength || (isHead && head.ContentLength >= 0))
                headers.ContentLength = head.ContentLength;
        }
        catch (InvalidOperationException)
        {
            // Kestrel refuses header values it cannot send (non-ASCII): the target's response cannot be passed on.
            return Outcome.BadGateway;
        }

        try
        {
            var complete = head.Framing switch
            {
                Http1BodyFraming.ContentLength => await CopyAsync(context, connection, head.ContentLength, idle),
                Http1BodyFraming.Chunked => await CopyChunkedAsync(context, connection, idle),
                Http1BodyFraming.CloseDelimited => await CopyAsync(context, connection, long.MaxValue, idle),
                _ => true,
            };
            connection.Disarm();
            if (!complete) return Failure(context, connection, retryable: false);
        }
        catch (Exception)
        {
            return Failure(context, connection, retryable: false);
        }
        // Bytes after the response mean the connection cannot carry another exchange.
        if (!head.KeepAlive || connection.Input.Count > 0 || connection.AbortReason != TargetConnectionAbort.None) return Outcome.Spent;
        return Outcome.Reusable;
    }

    private static Outcome Failure(HttpContext context, Http1TargetConnection connection, bool retryable)
    {
        switch (connection.AbortReason)
        {
            case TargetConnectionAbort.ClientGone:
                return Outcome.ClientGone;
            case TargetConnectionAbort.TargetIdle:
                return Outcome.GatewayTimeout;
            case TargetConnectionAbort.Cutoff:
                return Outcome.BadGateway;
        }
        if (context.RequestAborted.IsCancellationRequested) return Outcome.ClientGone;
        return retryable ? Outcome.Retry : Outcome.BadGateway;
    }

    /// <summary>
    /// Streams the client's body to the target after the buffered head: Content-Length bodies as they are, others
    /// re-framed as chunks. Large reads go to the socket without a copy; small ones gather while more of the body is
    /// already there, and go out as soon as the client has nothing more for now, so a body is never held waiting.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask SendBodyAsync(PipeReader body, Http1TargetConnection connection, bool chunked, long idle)
    {
        const int CopyBelow = 8 * 1024;
        var output = connection.Output;
        while (true)
        {
            if (!body.TryRead(out var result))
            {
                // Nothing more from the client right now: what has gathered goes out before waiting for it.
                await output.FlushAsync();
                connection.Disarm();
                result = await body.ReadAsync();
                connection.Arm(idle);
            }
            var buffer = result.Buffer;
            if (!buffer.IsEmpty)
            {
                if (chunked) Http1RequestHead.WriteChunkHeader(output, buffer.Length);
                if (buffer.Length < CopyBelow || !await output.TrySendGatheredAsync(buffer, endChunk: chunked))
                {
                    foreach (var segment in buffer) output.Write(segment.Span);
                    if (chunked) output.Write("\r\n"u8);
                }
            }
            body.AdvanceTo(buffer.End);
            if (result.IsCompleted) break;
            if (output.Count >= CopyBelow) await output.FlushAsync();
        }
        if (chunked) output.Write("0\r\n\r\n"u8);
        await output.FlushAsync();
    }

    /// <summary>
    /// Relays <paramref name="length"/> bytes of body (or up to the target's close for long.MaxValue) to the client:
    /// what is buffered first, then straight from the socket into Kestrel's response pipe.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<bool> CopyAsync(HttpContext context, Http1TargetConnection connection, long length, long idle)
    {
        // Kestrel's pipe lends 64 K from the array pool for a hint above its 4 K blocks: a 64 KiB response then takes
        // one or two receives instead of four (measured: CPU per 64 KiB response -35%).
        const int ReceiveSize = 64 * 1024;
        var input = connection.Input;
        var output = context.Response.BodyWriter;
        var remaining = length;
        if (input.Count > 0)
        {
            var take = (int)Math.Min(input.Count, remaining);
            output.Write(input.Span[..take]);
            input.Consume(take);
            remaining -= take;
        }
        while (remaining > 0)
        {
            // What the client has not got yet goes out before waiting on the target again; the target is not idle meanwhile.
            connection.Disarm();
            await output.FlushAsync();
            if (context.RequestAborted.IsCancellationRequested) return false;
            var memory = output.GetMemory(ReceiveSize);
            if (memory.Length > remaining) memory = memory[..(int)remaining];
            connection.Arm(idle);
            var read = await input.ReceiveAsync(memory);
            if (read == 0) return length == long.MaxValue;
            output.Advance(read);
            remaining -= read;
            // Kestrel does not send bytes advanced into memory it lent until they are flushed, even at the end of the response.
            if (remaining == 0) await output.FlushAsync();
        }
        return true;
    }

    /// <summary>Decodes a chunked body for the client (Kestrel re-frames it as it sees fit) and passes the trailers on where the client's protocol has them.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<bool> CopyChunkedAsync(HttpContext context, Http1TargetConnection connection, long idle)
    {
        var input = connection.Input;
        // Bounded by the body itself: each pass consumes one chunk or fails.
        while (true)
        {
            long size;
            while (true)
            {
                var parsed = Http1ResponseParser.ParseChunkSize(input.Span, out size, out var consumed);
                if (parsed == Http1ParseResult.Complete)
                {
                    input.Consume(consumed);
                    break;
                }
                if (parsed == Http1ParseResult.Invalid || !await FlushClientAsync(context, connection) || !await ReceiveMoreAsync(connection, idle)) return false;
            }
            if (size == 0) return await CopyTrailersAsync(context, connection, idle);
            if (!await CopyAsync(context, connection, size, idle)) return false;

            // The chunk's data ends in exactly CRLF.
            while (input.Count < 2)
                if (!await FlushClientAsync(context, connection) || !await ReceiveMoreAsync(connection, idle)) return false;
            if (!input.Span.StartsWith("\r\n"u8)) return false;
            input.Consume(2);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<bool> CopyTrailersAsync(HttpContext context, Http1TargetConnection connection, long idle)
    {
        var input = connection.Input;
        var trailers = connection.Trailers;
        trailers.Clear();
        while (true)
        {
            var parsed = Http1ResponseParser.ParseTrailers(input.Span, trailers, out var consumed);
            if (parsed == Http1ParseResult.Complete)
            {
                input.Consume(consumed);
                break;
            }
            if (parsed == Http1ParseResult.Invalid || !await ReceiveMoreAsync(connection, idle)) return false;
        }
        var response = context.Response;
        if (trailers.Count > 0 && response.SupportsTrailers())
            foreach (var trailer in trailers) response.AppendTrailer(trailer.Key, trailer.Value);
        return true;
    }

    /// <summary>Sends the client what it has not got yet, before waiting on the target; false when the client is gone.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<bool> FlushClientAsync(HttpContext context, Http1TargetConnection connection)
    {
        connection.Disarm();
        await context.Response.BodyWriter.FlushAsync();
        return !context.RequestAborted.IsCancellationRequested;
    }

    /// <summary>Reads more into the input buffer; false when the target closed its side.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<bool> ReceiveMoreAsync(Http1TargetConnection connection, long idle)
    {
        connection.Arm(idle);
        var read = await connection.Input.ReceiveMoreAsync();
        connection.Input.Received(read);
        return read > 0;
    }

    public void Dispose()
    {
        _plain.Dispose();
        _tls.Dispose();
        _tls13.Dispose();
    }
}
