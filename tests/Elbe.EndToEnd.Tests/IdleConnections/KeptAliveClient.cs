using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests.IdleConnections;

/// <summary>One raw HTTP/1.1 client connection kept alive across requests, reading responses one by one (pipelining too).</summary>
public sealed class KeptAliveClient : IAsyncDisposable
{
    private static readonly TimeSpan ReadLimit = TimeSpan.FromSeconds(10);
    private readonly TcpClient _client;
    private readonly Stream _stream;
    private readonly MemoryStream _pending = new();

    private KeptAliveClient(TcpClient client, Stream stream)
    {
        _client = client;
        _stream = stream;
    }

    public static async Task<KeptAliveClient> ConnectAsync(string host, int port)
    {
        var client = new TcpClient();
        using var timeout = new CancellationTokenSource(ReadLimit);
        await client.ConnectAsync(host, port, timeout.Token);
        return new KeptAliveClient(client, client.GetStream());
    }

    /// <summary>Over TLS with ALPN http/1.1, trusting any certificate (the tests' are self-signed).</summary>
    public static async Task<KeptAliveClient> ConnectTlsAsync(string host, int port)
    {
        var client = new TcpClient();
        using var timeout = new CancellationTokenSource(ReadLimit);
        await client.ConnectAsync(host, port, timeout.Token);
        var tls = new SslStream(client.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "www.example.com",
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }, timeout.Token);
        return new KeptAliveClient(client, tls);
    }

    /// <summary>The client's own address and port, as the load balancer sees it as the peer.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_client.Client.LocalEndPoint!;

    public static string Get(string path = "/") => $"GET {path} HTTP/1.1\r\nHost: idle.test\r\n\r\n";

    public async Task SendAsync(string requests)
    {
        using var timeout = new CancellationTokenSource(ReadLimit);
        await _stream.WriteAsync(Encoding.Latin1.GetBytes(requests), timeout.Token);
    }

    public async Task<RawHttpResponse> ExchangeAsync(string request)
    {
        await SendAsync(request);
        return await ReadResponseAsync();
    }

    /// <summary>The next whole response (head and Content-Length or chunked body); fails if none comes within 10 s.</summary>
    public async Task<RawHttpResponse> ReadResponseAsync()
    {
        using var timeout = new CancellationTokenSource(ReadLimit);
        var chunk = new byte[8192];
        // Bounded by the 10 s limit and by the 1 MB a small test response never reaches.
        while (_pending.Length < 1024 * 1024)
        {
            var text = Encoding.Latin1.GetString(_pending.GetBuffer(), 0, (int)_pending.Length);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var headers = RawHttpResponse.ParseHeaders(text[..end]);
                var chunked = headers.TryGetValue("transfer-encoding", out var coding) && coding.Contains("chunked", StringComparison.OrdinalIgnoreCase);
                var length = headers.TryGetValue("content-length", out var value) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
                // A chunked body ends with its last chunk, which the responses under test never contain elsewhere.
                var last = chunked ? text.IndexOf("\r\n0\r\n\r\n", end, StringComparison.Ordinal) : -1;
                var whole = chunked ? (last < 0 ? int.MaxValue : last + 7) : end + 4 + length;
                if (text.Length >= whole)
                {
                    var response = text[..whole];
                    // Latin-1: one byte per character, so the text's offsets are the buffer's.
                    var rest = _pending.GetBuffer().AsSpan(whole, (int)_pending.Length - whole).ToArray();
                    _pending.SetLength(0);
                    _pending.Write(rest);
                    return RawHttpResponse.Parse(response);
                }
            }
            var read = await _stream.ReadAsync(chunk, timeout.Token);
            if (read == 0) throw new IOException($"The load balancer closed the connection before a whole response; got: {text}");
            _pending.Write(chunk, 0, read);
        }
        throw new IOException("A response over 1 MB.");
    }

    /// <summary>Waits for the load balancer to close the connection (end of stream or reset), reading nothing else.</summary>
    public async Task<bool> ClosedWithinAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        var chunk = new byte[256];
        try
        {
            return await _stream.ReadAsync(chunk, timeout.Token) == 0;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
    }
}
