using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Elbe.DataPlane.Errors;

namespace Elbe.DataPlane.Listeners;

/// <summary>
/// Replaces the responses Kestrel writes by itself, for requests it refuses before any application code runs
/// (a malformed request line, a Transfer-Encoding it cannot frame, a request line or headers over its limits, a
/// client idle mid-request, an HTTP/2 preface), with the response ALB gives: its status, its small HTML page, Server: awselb/2.0.
/// Kestrel has no hook for these, so the connection's output is watched instead: while no request is in the
/// application, whatever is written is Kestrel's own and is held until flushed, then inspected.
/// While a request is in the application, writes go straight through.
/// One writer serves all of Kestrel's attachments to a connection (see Detaching/DetachableConnection): Kestrel
/// completes its output whenever its HTTP state ends, so completing only releases what is held; the transport
/// completes the connection's output (sending what is left) when the connection ends.
/// </summary>
public sealed class RejectionRewritingWriter(PipeWriter inner, ConnectionActivity activity, KestrelRejectionReasons rejections, string connectionId) : PipeWriter
{
    private ArrayBufferWriter<byte>? _held;
    private bool _holding;

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        _holding = !activity.InRequest;
        return _holding ? (_held ??= new ArrayBufferWriter<byte>(256)).GetMemory(sizeHint) : inner.GetMemory(sizeHint);
    }

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override void Advance(int bytes)
    {
        if (_holding) _held!.Advance(bytes);
        else inner.Advance(bytes);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        ReleaseHeld();
        return inner.FlushAsync(cancellationToken);
    }

    public override void Complete(Exception? exception = null) => ReleaseHeld();

    public override ValueTask CompleteAsync(Exception? exception = null)
    {
        ReleaseHeld();
        return default;
    }

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    private void ReleaseHeld()
    {
        if (_held is not { WrittenCount: > 0 } held) return;
        var written = held.WrittenSpan;
        var replacement = IsHttp11RequiredGoAway(written) ? AlbResponse(505)
            : StatusOfKestrelResponse(written) is { } status ? AlbResponse(AlbStatusFor(status)) : null;
        inner.Write(replacement ?? written);
        held.ResetWrittenCount();
    }

    /// <summary>
    /// Kestrel's answer to an HTTP/2 preface on an HTTP/1-only connection: one HTTP/2 GOAWAY frame (type 7, 8-byte
    /// payload) with error HTTP_1_1_REQUIRED (0xd). ALB answers this unexpected version with 505 (section 1.14).
    /// </summary>
    private static bool IsHttp11RequiredGoAway(ReadOnlySpan<byte> written) =>
        written.Length == 17 && written[..5].SequenceEqual("\0\0\u0008\u0007\0"u8) && written[13..].SequenceEqual("\0\0\0\u000d"u8);

    /// <summary>The status of a response head "HTTP/1.x NNN ..." that is an error, else null.</summary>
    private static int? StatusOfKestrelResponse(ReadOnlySpan<byte> written)
    {
        if (written.Length < 12 || !written.StartsWith("HTTP/1."u8) || written[8] != (byte)' ') return null;
        var code = (written[9] - '0') * 100 + (written[10] - '0') * 10 + (written[11] - '0');
        return code is >= 400 and <= 599 ? code : null;
    }

    private int AlbStatusFor(int kestrelStatus)
    {
        var reason = rejections.Take(connectionId);
        return kestrelStatus switch
        {
            // ALB refuses a coding it does not support with 501 (section 1.14); Kestrel says 400.
            400 when reason is not null && reason.Contains("chunked", StringComparison.OrdinalIgnoreCase) => 501,
            // ALB has no 431: oversized headers are a 400.
            431 => 400,
            _ => kestrelStatus,
        };
    }

    private static byte[] AlbResponse(int status)
    {
        var page = LoadBalancerErrorResponse.Page(status);
        var head = $"HTTP/1.1 {status} {LoadBalancerErrorResponse.ReasonPhrase(status)}\r\nServer: {LoadBalancerErrorResponse.ServerHeader}\r\nDate: {DateTime.UtcNow:R}\r\nContent-Type: text/html\r\nContent-Length: {page.Length}\r\nConnection: close\r\n\r\n";
        var bytes = new byte[Encoding.ASCII.GetByteCount(head) + page.Length];
        var n = Encoding.ASCII.GetBytes(head, bytes);
        page.CopyTo(bytes, n);
        return bytes;
    }
}
