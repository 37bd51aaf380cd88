using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Elbe.DataPlane.Forwarding.Http1;

/// <summary>How the request body goes to the target.</summary>
public enum RequestBodyFraming
{
    None,
    /// <summary>The client's Content-Length, as sent.</summary>
    ContentLength,
    /// <summary>A body of unknown length (chunked from an HTTP/1.1 client, or an HTTP/2 stream), re-framed as chunked.</summary>
    Chunked,
}

/// <summary>
/// Writes an HTTP/1.1 request head straight into the target connection's output buffer: the method and the request target as
/// the client sent them, the client's end-to-end headers minus those ALB's rewrite decides, then the rewrite's values
/// and the framing header.
/// </summary>
public static class Http1RequestHead
{
    /// <param name="scratch">Room for the client's headers, kept by the connection and grown when a request has more.</param>
    public static void Write(TargetOutput writer, HttpRequest request, string rawTarget, RequestHeaderEdits edits, RequestBodyFraming framing,
        ref KeyValuePair<string, StringValues>[] scratch)
    {
        WriteText(writer, request.Method);
        WriteBytes(writer, " "u8);
        WriteText(writer, rawTarget);
        WriteBytes(writer, " HTTP/1.1\r\n"u8);

        // Copied out rather than enumerated: enumerating Kestrel's header collection through its interface boxes an enumerator per request.
        var headers = request.Headers;
        var count = headers.Count;
        if (scratch.Length < count) scratch = new KeyValuePair<string, StringValues>[Math.Max(count, scratch.Length * 2)];
        headers.CopyTo(scratch, 0);
        for (var i = 0; i < count; i++)
        {
            var name = scratch[i].Key;
            if (!IsHopByHopOrFraming(name) && !edits.Covers(name))
                foreach (var value in scratch[i].Value)
                    WriteField(writer, name, value);
            scratch[i] = default;
        }
        for (var i = 0; i < edits.Count; i++)
            if (edits.Value(i) is { } value) WriteField(writer, edits.Name(i), value);

        switch (framing)
        {
            case RequestBodyFraming.ContentLength:
                WriteBytes(writer, "Content-Length: "u8);
                var span = writer.GetSpan(20);
                request.ContentLength!.Value.TryFormat(span, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
                writer.Advance(written);
                WriteBytes(writer, "\r\n"u8);
                break;
            case RequestBodyFraming.Chunked:
                WriteBytes(writer, "Transfer-Encoding: chunked\r\n"u8);
                break;
        }
        WriteBytes(writer, "\r\n"u8);
    }

    /// <summary>The size line of one chunk of a re-framed body.</summary>
    public static void WriteChunkHeader(TargetOutput writer, long length)
    {
        var span = writer.GetSpan(20);
        length.TryFormat(span, out var written, "x", System.Globalization.CultureInfo.InvariantCulture);
        span[written++] = (byte)'\r';
        span[written++] = (byte)'\n';
        writer.Advance(written);
    }

    private static void WriteField(TargetOutput writer, string name, string? value)
    {
        WriteText(writer, name);
        WriteBytes(writer, ": "u8);
        WriteText(writer, value ?? "");
        WriteBytes(writer, "\r\n"u8);
    }

    /// <summary>
    /// Hop-by-hop headers belong to the client's connection (RFC 9110 section 7.6.1), and the framing is written
    /// from the body the target will actually get. Pseudo-headers of HTTP/2 clients are never fields.
    /// </summary>
    private static bool IsHopByHopOrFraming(string name) => name.Length switch
    {
        2 => name.Equals("TE", StringComparison.OrdinalIgnoreCase),
        7 => name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase) || name.Equals("Trailer", StringComparison.OrdinalIgnoreCase),
        10 => name.Equals("Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase),
        14 => name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase),
        16 => name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase),
        17 => name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase),
        _ => name.Length > 0 && name[0] == ':',
    };

    private static void WriteBytes(TargetOutput writer, ReadOnlySpan<byte> bytes)
    {
        var span = writer.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        writer.Advance(bytes.Length);
    }

    /// <summary>ASCII as is; anything else as UTF-8, which is how Kestrel decoded it from the client.</summary>
    private static void WriteText(TargetOutput writer, string text)
    {
        var span = writer.GetSpan(text.Length);
        if (Ascii.FromUtf16(text, span, out var written) == OperationStatus.Done)
        {
            writer.Advance(written);
            return;
        }
        span = writer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        writer.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
