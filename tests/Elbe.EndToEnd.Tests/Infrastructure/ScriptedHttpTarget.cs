using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Elbe.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A raw-socket target that answers each request with bytes a test scripts by path, for responses Kestrel would
/// never send (ambiguous framing, obs-fold, bare LF, trailers, close-delimited bodies). Health checks get a plain
/// 200. Connections are kept alive unless the script says otherwise; request bodies are read by their framing
/// (decoding chunked), so an answer can report what arrived.
/// </summary>
public sealed class ScriptedHttpTarget : IAsyncDisposable
{
    /// <summary>What to send back, and what to do with the connection afterwards.</summary>
    public sealed record Answer(string Bytes, bool CloseAfter = false, bool CloseSoonAfter = false);

    private readonly TcpListener listener;
    private readonly Func<ScriptedRequest, Answer> script;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task acceptLoop;
    private int connections;
    private int closedSoonAfter;

    private ScriptedHttpTarget(TcpListener listener, Func<ScriptedRequest, Answer> script)
    {
        this.listener = listener;
        this.script = script;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        acceptLoop = Task.Run(AcceptAsync);
    }

    public int Port { get; }
    public int Connections => Volatile.Read(ref connections);
    /// <summary>Connections this target closed on its own after a keep-alive answer (<see cref="Answer.CloseSoonAfter"/>).</summary>
    public int ClosedSoonAfter => Volatile.Read(ref closedSoonAfter);

    public static ScriptedHttpTarget Start(Func<ScriptedRequest, Answer> script)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new ScriptedHttpTarget(listener, script);
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stopping.Token); }
            catch (Exception) { return; }
            var id = Interlocked.Increment(ref connections);
            _ = Task.Run(() => ServeAsync(client, id));
        }
    }

    private async Task ServeAsync(TcpClient client, int connectionId)
    {
        using (client)
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token))
        {
            // Bounded: no connection lives past a minute, whatever the test does.
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            var stream = client.GetStream();
            var reader = new ByteReader(stream);
            try
            {
                for (var exchanges = 0; exchanges < 10_000; exchanges++)
                {
                    var head = await reader.ReadHeadAsync(timeout.Token);
                    if (head is null) return;
                    var request = ScriptedRequest.Parse(head);
                    request.ConnectionId = connectionId;
                    request.Body = await reader.ReadBodyAsync(request, timeout.Token);
                    var answer = request.Path == BackendServer.HealthPath
                        ? new Answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                        : script(request);
                    await stream.WriteAsync(Encoding.Latin1.GetBytes(answer.Bytes), timeout.Token);
                    if (answer.CloseAfter) return;
                    if (answer.CloseSoonAfter)
                    {
                        await Task.Delay(50, timeout.Token);
                        client.Client.Shutdown(SocketShutdown.Both);
                        Interlocked.Increment(ref closedSoonAfter);
                        return;
                    }
                }
            }
            catch (Exception)
            {
                // A peer that goes away mid-exchange is normal here.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        try { await acceptLoop; }
        catch (Exception) { }
        stopping.Dispose();
    }

    /// <summary>Reads bytes off a stream with a little look-ahead buffer.</summary>
    private sealed class ByteReader(NetworkStream stream)
    {
        private readonly byte[] buffer = new byte[64 * 1024];
        private int start;
        private int end;

        public async Task<string?> ReadHeadAsync(CancellationToken cancellationToken)
        {
            var head = new MemoryStream();
            while (head.Length < 128 * 1024)
            {
                if (start == end && !await FillAsync(cancellationToken)) return null;
                head.WriteByte(buffer[start++]);
                if (head.Length >= 4 && head.GetBuffer().AsSpan((int)head.Length - 4, 4).SequenceEqual("\r\n\r\n"u8))
                    return Encoding.Latin1.GetString(head.GetBuffer(), 0, (int)head.Length);
            }
            return null;
        }

        public async Task<byte[]> ReadBodyAsync(ScriptedRequest request, CancellationToken cancellationToken)
        {
            var body = new MemoryStream();
            if (request.Headers.TryGetValue("transfer-encoding", out var coding) && coding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                // At most 100,000 chunks: a bound, not a limit any test reaches.
                for (var chunks = 0; chunks < 100_000; chunks++)
                {
                    var size = Convert.ToInt32((await ReadLineAsync(cancellationToken)).Split(';')[0], 16);
                    if (size == 0)
                    {
                        while ((await ReadLineAsync(cancellationToken)).Length > 0) { }
                        break;
                    }
                    await CopyAsync(body, size, cancellationToken);
                    await ReadLineAsync(cancellationToken);
                }
            }
            else if (request.Headers.TryGetValue("content-length", out var length))
                await CopyAsync(body, int.Parse(length), cancellationToken);
            return body.ToArray();
        }

        private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = new StringBuilder();
            while (line.Length < 8192)
            {
                if (start == end && !await FillAsync(cancellationToken)) throw new IOException("Closed mid-line.");
                var b = buffer[start++];
                if (b == '\n') return line.ToString().TrimEnd('\r');
                line.Append((char)b);
            }
            throw new IOException("Line too long.");
        }

        private async Task CopyAsync(MemoryStream into, int count, CancellationToken cancellationToken)
        {
            while (count > 0)
            {
                if (start == end && !await FillAsync(cancellationToken)) throw new IOException("Closed mid-body.");
                var take = Math.Min(count, end - start);
                into.Write(buffer, start, take);
                start += take;
                count -= take;
            }
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            start = 0;
            end = await stream.ReadAsync(buffer, cancellationToken);
            return end > 0;
        }
    }
}

/// <summary>A request as <see cref="ScriptedHttpTarget"/> received it.</summary>
public sealed class ScriptedRequest
{
    public required string Method { get; init; }
    public required string Path { get; init; }
    public required string Head { get; init; }
    /// <summary>Lower-cased names; repeated headers joined with ", ".</summary>
    public required Dictionary<string, string> Headers { get; init; }
    public byte[] Body { get; set; } = [];
    /// <summary>Which of the target's connections carried the request (1 for the first accepted).</summary>
    public int ConnectionId { get; set; }

    public static ScriptedRequest Parse(string head)
    {
        var lines = head.Split("\r\n");
        var parts = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var name = line[..colon].ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            headers[name] = headers.TryGetValue(name, out var existing) ? existing + ", " + value : value;
        }
        var path = parts.Length > 1 ? parts[1] : "";
        var query = path.IndexOf('?');
        return new ScriptedRequest { Method = parts[0], Path = query >= 0 ? path[..query] : path, Head = head, Headers = headers };
    }
}
