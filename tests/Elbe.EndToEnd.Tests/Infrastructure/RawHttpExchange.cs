using System.Net.Sockets;
using System.Text;

namespace Elbe.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Sends bytes no well-behaved HTTP client would send and reads whatever comes back, for the requests the
/// load balancer must reject itself.
/// </summary>
public static class RawHttpExchange
{
    public static async Task<RawHttpResponse> SendAsync(string host, int port, string request)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var client = new TcpClient();
        await client.ConnectAsync(host, port, timeout.Token);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(Encoding.Latin1.GetBytes(request), timeout.Token);
        }
        catch (IOException)
        {
            // The server may answer and close before reading everything; what it answered is still what we test.
        }
        return await ReadResponseAsync(stream, timeout.Token);
    }

    private static async Task<RawHttpResponse> ReadResponseAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int? bodyStart = null;
        int? contentLength = null;
        // At most 1 MB: every response under test is a small error page.
        while (buffer.Length < 1024 * 1024)
        {
            int read;
            try { read = await stream.ReadAsync(chunk, cancellationToken); }
            catch (IOException) { break; }
            catch (OperationCanceledException) { break; }
            if (read == 0)
                break;
            buffer.Write(chunk, 0, read);
            var text = Encoding.Latin1.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            if (bodyStart is null && text.IndexOf("\r\n\r\n", StringComparison.Ordinal) is var end and >= 0)
            {
                bodyStart = end + 4;
                contentLength = RawHttpResponse.ParseHeaders(text[..end]).TryGetValue("content-length", out var length) && int.TryParse(length, out var parsed) ? parsed : null;
            }
            if (bodyStart is { } start && contentLength is { } expected && buffer.Length >= start + expected)
                break;
            if (bodyStart is not null && contentLength is null && text.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal))
                break;
        }
        return RawHttpResponse.Parse(Encoding.Latin1.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }
}

public sealed record RawHttpResponse(string Raw, int StatusCode, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public static RawHttpResponse Parse(string raw)
    {
        var end = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
            return new RawHttpResponse(raw, 0, new Dictionary<string, string>(), "");
        var head = raw[..end];
        var statusLine = head.Split("\r\n")[0].Split(' ');
        var status = statusLine.Length > 1 && int.TryParse(statusLine[1], out var code) ? code : 0;
        var headers = ParseHeaders(head);
        var body = raw[(end + 4)..];
        if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            body = Dechunk(body);
        return new RawHttpResponse(raw, status, headers, body);
    }

    /// <summary>Joins a chunked body's chunks; a truncated body yields what arrived.</summary>
    private static string Dechunk(string chunked)
    {
        var body = new System.Text.StringBuilder();
        var position = 0;
        // Bounded by the input: every chunk consumes at least its size line.
        while (position < chunked.Length)
        {
            var lineEnd = chunked.IndexOf("\r\n", position, StringComparison.Ordinal);
            if (lineEnd < 0)
                break;
            var sizeText = chunked[position..lineEnd].Split(';')[0].Trim();
            if (!int.TryParse(sizeText, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var size) || size == 0)
                break;
            var start = lineEnd + 2;
            body.Append(chunked.AsSpan(start, Math.Min(size, chunked.Length - start)));
            position = start + size + 2;
        }
        return body.ToString();
    }

    public static Dictionary<string, string> ParseHeaders(string head)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in head.Split("\r\n").Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0)
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        return headers;
    }

    public override string ToString() => Raw.Length > 600 ? Raw[..600] + "..." : Raw;
}
