using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Elbe.DataPlane.Errors;
using Elbe.DataPlane.Listeners;
using Elbe.DataPlane.Targets;
using Elbe.Routing.Http1;
using Elbe.Routing.ProtocolVersions;
using Elbe.Routing.Targets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Elbe.DataPlane.Forwarding.Http1;

/// <summary>
/// Forwards a request to a plain-HTTP target of an HTTP1 target group without HttpRequestMessage or HttpClient: the
/// request head is written straight into a pooled target connection's pipe (with ALB's rewrite from
/// <see cref="AlbRequestTransformer.Rewrite"/>), the body streamed with its framing, the response head parsed strictly
/// (<see cref="Http1ResponseParser"/>) and copied into Kestrel's response, and the body relayed by its framing.
/// Errors map as on the YARP path (fact sheet 1.11, 1.14): refused, reset or malformed ⇒ 502, connect timeout or a
/// target silent past the idle timeout ⇒ 504, deregistration cut-off ⇒ 502, client gone ⇒ 460 (abort).
/// </summary>
public sealed class Http1Forwarder : IDisposable
{
    /// <summary>Set ELBE_HTTP1_FORWARDER=yarp to send everything through YARP (for A/B measurements).</summary>
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("ELBE_HTTP1_FORWARDER") != "yarp";

    private readonly TargetConnectionPool _pool = new();

    private enum Outcome { Reusable, Spent, Retry, BadGateway, GatewayTimeout, BadRequest, ClientGone }

    /// <summary>
    /// Whether this path takes the request: plain HTTP/1.1 targets, and a request that is not an upgrade or CONNECT
    /// (WebSockets stay on YARP) and has an origin-form target to send on as received.
    /// </summary>
    public static bool Handles(HttpContext context, TargetGroupSettings group)
    {
        if (!Enabled || group.TargetsUseTls || group.ProtocolVersion.UsesHttp2()) return false;
        var request = context.Request;
        if (request.Headers.Upgrade.Count > 0 || HttpMethods.IsConnect(request.Method)) return false;
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return raw is { Length: > 0 } && raw[0] == '/';
    }

    public async Task ForwardAsync(HttpContext context, ListenerSnapshot listener, TargetState target)
    {
        var request = context.Request;
        var framing = request.ContentLength is not null ? RequestBodyFraming.ContentLength
            : context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true ? RequestBodyFraming.Chunked
            : RequestBodyFraming.None;
        var hasBody = framing == RequestBodyFraming.Chunked || request.ContentLength > 0;
        var outcome = Outcome.BadGateway;
        target.RequestStarted();
        try
        {
            for (var attempt = 0; attempt < 2; attempt++)
            {
                var connection = _pool.Rent(target.Endpoint, mustBeQuiet: hasBody);
                var reused = connection is not null;
                if (connection is null)
                {
                    try
                    {
                        connection = await Http1TargetConnection.ConnectAsync(target.Address, target.Port, target.Endpoint);
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
                    _pool.Track(connection);
                }
                outcome = await ExchangeAsync(context, listener, connection, target.Cutoff, framing, hasBody);
                if (outcome == Outcome.Reusable) _pool.Return(connection);
                else _pool.Discard(connection);
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
    private static async ValueTask<Outcome> ExchangeAsync(HttpContext context, ListenerSnapshot listener, Http1TargetConnection connection,
        CancellationToken cutoff, RequestBodyFraming framing, bool hasBody)
    {
        var request = context.Request;
        var idle = (long)listener.Settings.IdleTimeout.TotalMilliseconds;
        var isHead = HttpMethods.IsHead(request.Method);
        var received = false;
        var bodyStarted = false;
        connection.BeginExchange(context.RequestAborted, cutoff);
        try
        {
            var edits = connection.Edits;
            edits.Clear();
            listener.Transformer.Rewrite(context, ref edits);
            Http1RequestHead.Write(connection.Writer, request, context.Features.Get<IHttpRequestFeature>()!.RawTarget, edits, framing);
            if (hasBody)
            {
                bodyStarted = true;
                if (!await SendBodyAsync(request.BodyReader, connection, framing == RequestBodyFraming.Chunked, idle)) return Failure(context, connection, retryable: false);
            }
            else if (!await FlushAsync(connection, idle)) return Failure(context, connection, retryable: true);

            var head = connection.Head;
            var reader = connection.Reader;
            while (true)
            {
                connection.Arm(idle);
                var result = await reader.ReadAsync();
                connection.Disarm();
                var buffer = result.Buffer;
                if (!buffer.IsEmpty) received = true;
                var parsed = Http1ResponseParser.ParseHead(buffer, isHead, head, out var consumed);
                if (parsed == Http1ParseResult.Complete)
                {
                    reader.AdvanceTo(buffer.GetPosition(consumed));
                    if (head.IsInterim) continue;
                    break;
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (parsed == Http1ParseResult.Invalid) return Outcome.BadGateway;
                if (result.IsCompleted) return Failure(context, connection, retryable: !received && !bodyStarted);
            }
        }
        catch (BadHttpRequestException)
        {
            // The client's body ended early or broke its framing: ALB's 400.
            return context.RequestAborted.IsCancellationRequested ? Outcome.ClientGone : Outcome.BadRequest;
        }
        catch (Exception)
        {
            return Failure(context, connection, retryable: !received && !bodyStarted);
        }

        return await RelayResponseAsync(context, connection, isHead, idle);
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
            if (!complete) return Failure(context, connection, retryable: false);
        }
        catch (Exception)
        {
            return Failure(context, connection, retryable: false);
        }
        if (!head.KeepAlive || connection.AbortReason != TargetConnectionAbort.None) return Outcome.Spent;
        return HasLeftoverInput(connection.Reader) ? Outcome.Spent : Outcome.Reusable;
    }

    /// <summary>Bytes after the response (or the target's close) mean the connection cannot carry another exchange.</summary>
    private static bool HasLeftoverInput(PipeReader reader)
    {
        if (!reader.TryRead(out var result)) return false;
        var leftover = !result.Buffer.IsEmpty || result.IsCompleted;
        reader.AdvanceTo(result.Buffer.Start);
        return leftover;
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

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<bool> FlushAsync(Http1TargetConnection connection, long idle)
    {
        connection.Arm(idle);
        var flushed = await connection.Writer.FlushAsync();
        connection.Disarm();
        return !flushed.IsCanceled && !flushed.IsCompleted;
    }

    /// <summary>Streams the client's body to the target: Content-Length bodies as they are, others re-framed as chunks.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<bool> SendBodyAsync(PipeReader body, Http1TargetConnection connection, bool chunked, long idle)
    {
        var target = connection.Writer;
        while (true)
        {
            var result = await body.ReadAsync();
            var buffer = result.Buffer;
            if (!buffer.IsEmpty)
            {
                if (chunked) Http1RequestHead.WriteChunkHeader(target, buffer.Length);
                foreach (var segment in buffer) target.Write(segment.Span);
                if (chunked) target.Write("\r\n"u8);
            }
            body.AdvanceTo(buffer.End);
            if (result.IsCompleted) break;
            if (!await FlushAsync(connection, idle)) return false;
        }
        if (chunked) target.Write("0\r\n\r\n"u8);
        return await FlushAsync(connection, idle);
    }

    /// <summary>Relays <paramref name="length"/> bytes of body (or up to the target's close for long.MaxValue) to the client.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<bool> CopyAsync(HttpContext context, Http1TargetConnection connection, long length, long idle)
    {
        var reader = connection.Reader;
        var output = context.Response.BodyWriter;
        var remaining = length;
        while (remaining > 0)
        {
            connection.Arm(idle);
            var result = await reader.ReadAsync();
            connection.Disarm();
            var buffer = result.Buffer;
            if (buffer.Length > remaining) buffer = buffer.Slice(0, remaining);
            foreach (var segment in buffer) output.Write(segment.Span);
            remaining -= buffer.Length;
            reader.AdvanceTo(buffer.End);
            if (result.IsCompleted && (remaining == 0 || length == long.MaxValue))
            {
                await output.FlushAsync();
                return remaining == 0 || length == long.MaxValue;
            }
            if (result.IsCompleted) return false;
            await output.FlushAsync();
            if (context.RequestAborted.IsCancellationRequested) return false;
        }
        return true;
    }

    /// <summary>Decodes a chunked body for the client (Kestrel re-frames it as it sees fit) and passes the trailers on where the client's protocol has them.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<bool> CopyChunkedAsync(HttpContext context, Http1TargetConnection connection, long idle)
    {
        var reader = connection.Reader;
        while (true)
        {
            long size;
            while (true)
            {
                connection.Arm(idle);
                var result = await reader.ReadAsync();
                connection.Disarm();
                var buffer = result.Buffer;
                var parsed = Http1ResponseParser.ParseChunkSize(buffer, out size, out var consumed);
                if (parsed == Http1ParseResult.Complete)
                {
                    reader.AdvanceTo(buffer.GetPosition(consumed));
                    break;
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (parsed == Http1ParseResult.Invalid || result.IsCompleted) return false;
            }
            if (size == 0) return await CopyTrailersAsync(context, connection, idle);
            if (!await CopyAsync(context, connection, size, idle)) return false;

            // The chunk's data ends in exactly CRLF.
            while (true)
            {
                connection.Arm(idle);
                var result = await reader.ReadAsync();
                connection.Disarm();
                var buffer = result.Buffer;
                if (buffer.Length >= 2)
                {
                    Span<byte> crlf = stackalloc byte[2];
                    buffer.Slice(0, 2).CopyTo(crlf);
                    var valid = crlf[0] == '\r' && crlf[1] == '\n';
                    reader.AdvanceTo(buffer.GetPosition(2));
                    if (!valid) return false;
                    break;
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted) return false;
            }
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<bool> CopyTrailersAsync(HttpContext context, Http1TargetConnection connection, long idle)
    {
        var reader = connection.Reader;
        var trailers = connection.Trailers;
        trailers.Clear();
        while (true)
        {
            connection.Arm(idle);
            var result = await reader.ReadAsync();
            connection.Disarm();
            var buffer = result.Buffer;
            var parsed = Http1ResponseParser.ParseTrailers(buffer, trailers, out var consumed);
            if (parsed == Http1ParseResult.Complete)
            {
                reader.AdvanceTo(buffer.GetPosition(consumed));
                break;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (parsed == Http1ParseResult.Invalid || result.IsCompleted) return false;
        }
        var response = context.Response;
        if (trailers.Count > 0 && response.SupportsTrailers())
            foreach (var trailer in trailers) response.AppendTrailer(trailer.Key, trailer.Value);
        return true;
    }

    public void Dispose() => _pool.Dispose();
}
