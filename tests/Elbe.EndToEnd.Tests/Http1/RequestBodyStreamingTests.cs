using System.Net;
using System.Net.Sockets;
using System.Text;
using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests.Http1;

/// <summary>
/// A request body reaches the target as the client sends it: a first small piece is not held back until more of
/// the body comes, so a target that answers after reading part of an upload (an interactive protocol) is not stalled.
/// </summary>
public sealed class RequestBodyStreamingTests
{
    [Fact]
    public async Task The_first_piece_of_an_unfinished_upload_reaches_the_target_before_the_rest_is_sent()
    {
        using var targetListener = new TcpListener(IPAddress.Loopback, 0);
        targetListener.Start();
        var port = ((IPEndPoint)targetListener.LocalEndpoint).Port;
        var firstPiece = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var serving = ServeAsync(targetListener, firstPiece, stop.Token);

        var template = new CfnTemplate().LoadBalancer().TargetGroup("Raw", [port]).Listener(CfnActions.Forward("Raw"));
        await using var elbe = await ElbeHarness.StartAsync(template.ToString());
        await elbe.WaitForHealthyAsync("Raw", port);

        using var client = new TcpClient();
        await client.ConnectAsync(elbe.NodeAddress(), 8080);
        var stream = client.GetStream();
        // 5 bytes of a 10-byte body; the rest is sent only after the target has seen the first 5.
        await stream.WriteAsync(Encoding.ASCII.GetBytes("POST /upload HTTP/1.1\r\nHost: lb\r\nContent-Length: 10\r\n\r\nhello"));
        var arrived = await firstPiece.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("hello", arrived);

        await stream.WriteAsync(Encoding.ASCII.GetBytes("world"));
        var response = await ReadResponseAsync(stream);
        Assert.StartsWith("HTTP/1.1 200", response);
        Assert.EndsWith("got helloworld", response);
        stop.Cancel();
        await serving;
    }

    /// <summary>Health checks get a 200; the upload's first five body bytes are reported, then the rest read and echoed.</summary>
    private static async Task ServeAsync(TcpListener listener, TaskCompletionSource<string> firstPiece, CancellationToken stop)
    {
        var connections = new List<Task>();
        try
        {
            for (var i = 0; i < 1000 && !stop.IsCancellationRequested; i++)
            {
                var socket = await listener.AcceptSocketAsync(stop);
                connections.Add(ServeConnectionAsync(socket, firstPiece, stop));
            }
        }
        catch (OperationCanceledException)
        {
        }
        await Task.WhenAll(connections);
    }

    private static async Task ServeConnectionAsync(Socket socket, TaskCompletionSource<string> firstPiece, CancellationToken stop)
    {
        using var _ = socket;
        var buffer = new byte[64 * 1024];
        var received = new StringBuilder();
        try
        {
            for (var reads = 0; reads < 10_000; reads++)
            {
                var text = received.ToString();
                var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (headEnd >= 0 && text.StartsWith("GET ", StringComparison.Ordinal))
                {
                    received.Remove(0, headEnd + 4);
                    await socket.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"), stop);
                    continue;
                }
                if (headEnd >= 0 && text.StartsWith("POST ", StringComparison.Ordinal))
                {
                    var body = text[(headEnd + 4)..];
                    if (body.Length >= 5) firstPiece.TrySetResult(body[..5]);
                    if (body.Length >= 10)
                    {
                        var answer = "got " + body[..10];
                        await socket.SendAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {answer.Length}\r\n\r\n{answer}"), stop);
                        received.Remove(0, headEnd + 4 + 10);
                        continue;
                    }
                }
                var read = await socket.ReceiveAsync(buffer, stop);
                if (read == 0) return;
                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
        }
    }

    private static async Task<string> ReadResponseAsync(NetworkStream stream)
    {
        var buffer = new byte[4096];
        var response = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        for (var reads = 0; reads < 100; reads++)
        {
            var text = response.ToString();
            var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (headEnd >= 0 && text.Length >= headEnd + 4 + ContentLength(text[..headEnd])) return text;
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0) return text;
            response.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        return response.ToString();
    }

    private static int ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                return int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        return 0;
    }
}
