using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Elbe.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A target that speaks just enough HTTP to pass health checks, then answers every other request with a
/// status line no HTTP parser can accept. Kestrel refuses to emit such bytes, hence a raw socket.
/// </summary>
public sealed class MalformedResponseTarget : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task acceptLoop;
    private int malformedAnswers;

    private MalformedResponseTarget(TcpListener listener)
    {
        this.listener = listener;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        acceptLoop = Task.Run(AcceptAsync);
    }

    public int Port { get; }
    public int MalformedAnswers => Volatile.Read(ref malformedAnswers);

    public static MalformedResponseTarget Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new MalformedResponseTarget(listener);
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stopping.Token); }
            catch (Exception) { return; }
            _ = Task.Run(() => AnswerAsync(client));
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token))
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream, timeout.Token);
                var isHealthCheck = head.Contains(" " + BackendServer.HealthPath + " ", StringComparison.Ordinal);
                var answer = isHealthCheck
                    ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                    : "THIS IS NOT HTTP AT ALL\r\n\r\n";
                if (!isHealthCheck)
                    Interlocked.Increment(ref malformedAnswers);
                await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), timeout.Token);
            }
            catch (Exception)
            {
                // A peer that goes away mid-answer is normal for this target; nothing to report.
            }
        }
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
                break;
            length += read;
            if (buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0)
                break;
        }
        return Encoding.ASCII.GetString(buffer, 0, length);
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        try { await acceptLoop; }
        catch (Exception) { }
        stopping.Dispose();
    }
}
