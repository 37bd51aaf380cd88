using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Elbe.EndToEnd.Tests.IdleConnections;
using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests.Http1;

/// <summary>
/// The HTTP listeners' own transport on the event loops (EventLoopConnection): uploads larger than one read and
/// than the input's 1 MiB limit, responses larger than the kernel's send buffer to a client that reads late, and
/// connections that end from either side, each over real sockets; and the kernel's handing of TCP_NODELAY from a
/// listen socket to the sockets it accepts, which the listeners rely on.
/// </summary>
public sealed class ListenerTransportTests
{
    [Fact]
    public void Accepted_sockets_inherit_TCP_NODELAY_from_the_listen_socket()
    {
        // The HTTP and NLB listeners set TCP_NODELAY once, on the listen socket, and count on Linux handing it to
        // every accepted socket instead of a setsockopt per connection; this pins that.
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var plain = new Socket(SocketType.Stream, ProtocolType.Tcp);
        plain.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        plain.Listen();
        using var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var other = new Socket(SocketType.Stream, ProtocolType.Tcp);
        other.Connect(plain.LocalEndPoint!);

        using var accepted = listener.Accept();
        using var acceptedPlain = plain.Accept();

        Assert.True(accepted.NoDelay);
        Assert.False(acceptedPlain.NoDelay);
    }

    [Fact]
    public async Task An_upload_many_reads_long_reaches_the_target_whole()
    {
        await using var backend = await BackendServer.StartAsync("digest");
        await using var elbe = await StartAsync(backend);
        var body = RandomNumberGenerator.GetBytes(6 * 1024 * 1024 + 123);

        using var client = new TcpClient();
        await client.ConnectAsync(elbe.NodeAddress(), CfnTemplate.ListenerPort);
        var stream = client.GetStream();
        // Head and body in one go: the listener reads it in full blocks, pausing whenever 1 MiB is unread.
        var head = Encoding.ASCII.GetBytes($"POST /digest HTTP/1.1\r\nHost: lb\r\nContent-Length: {body.Length}\r\n\r\n");
        var sending = Task.Run(async () =>
        {
            await stream.WriteAsync(head);
            await stream.WriteAsync(body);
        });
        var response = await RawResponse.ReadAsync(stream);
        await sending;

        Assert.Equal(200, response.Status);
        Assert.Equal($"{body.Length} {Convert.ToHexString(SHA256.HashData(body))}", Encoding.ASCII.GetString(response.Body));
    }

    [Fact]
    public async Task A_response_larger_than_the_socket_buffers_reaches_a_client_that_reads_late()
    {
        await using var backend = await BackendServer.StartAsync("bytes");
        await using var elbe = await StartAsync(backend);
        const int size = 24 * 1024 * 1024;

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await client.ConnectAsync(IPAddress.Parse(elbe.NodeAddress()), CfnTemplate.ListenerPort);
        using var stream = new NetworkStream(client);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /bytes/{size} HTTP/1.1\r\nHost: lb\r\n\r\n"));
        // Not reading for a while fills the client's receive buffer and then the listener's send buffer, so the
        // listener must wait for the socket to become writable again, many times over, to finish.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var response = await RawResponse.ReadAsync(stream);

        Assert.Equal(200, response.Status);
        Assert.Equal(size, response.Body.Length);
        for (var i = 0; i < size; i++)
            if (response.Body[i] != (byte)(i % 251))
                Assert.Fail($"byte {i} is {response.Body[i]}, not {i % 251}");

        // The connection stays usable for the next request.
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /bytes/10 HTTP/1.1\r\nHost: lb\r\n\r\n"));
        var next = await RawResponse.ReadAsync(stream);
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, next.Body);
    }

    [Fact]
    public async Task The_listener_closes_its_side_when_the_client_closes_and_when_it_asks_to()
    {
        await using var backend = await BackendServer.StartAsync("closing");
        await using var elbe = await StartAsync(backend);
        var listener = new IPEndPoint(IPAddress.Parse(elbe.NodeAddress()), CfnTemplate.ListenerPort);

        // The client asks for the connection to close: the response ends with the listener's FIN.
        await using (var asking = await KeptAliveClient.ConnectAsync(listener.Address.ToString(), listener.Port))
        {
            var response = await asking.ExchangeAsync("GET /bytes/5 HTTP/1.1\r\nHost: lb\r\nConnection: close\r\n\r\n");
            Assert.Equal("\0\u0001\u0002\u0003\u0004", response.Body);
            Assert.True(await asking.ClosedWithinAsync(TimeSpan.FromSeconds(10)), "the listener kept the connection open after Connection: close");
        }

        // The client closes after a response: the listener's socket must not stay half-closed (CLOSE_WAIT) with
        // its descriptor open; the kernel forgets the connection once both sides closed.
        var client = await KeptAliveClient.ConnectAsync(listener.Address.ToString(), listener.Port);
        var clientEnd = client.LocalEndPoint;
        Assert.Equal(200, (await client.ExchangeAsync(KeptAliveClient.Get("/bytes/5"))).StatusCode);
        Assert.Equal(ProcNetTcp.Established, ProcNetTcp.StateOf(listener, clientEnd));
        await client.DisposeAsync();
        await Eventually.TrueAsync(() => ProcNetTcp.StateOf(listener, clientEnd) is not (ProcNetTcp.Established or ProcNetTcp.CloseWait),
            "the listener's socket stayed open after the client closed", TimeSpan.FromSeconds(10));
    }

    private static async Task<ElbeHarness> StartAsync(BackendServer backend)
    {
        var template = new CfnTemplate().LoadBalancer().TargetGroup("Pool", [backend.Port]).Listener(CfnActions.Forward("Pool"));
        var elbe = await ElbeHarness.StartAsync(template.ToString());
        await elbe.WaitForHealthyAsync("Pool", backend.Port);
        return elbe;
    }

    /// <summary>
    /// One HTTP/1.1 response with a Content-Length body, read off the stream byte-exact: for bodies of megabytes,
    /// which <see cref="KeptAliveClient"/> (small text responses, 1 MB at most) is not made for.
    /// </summary>
    private sealed record RawResponse(int Status, byte[] Body)
    {
        public static async Task<RawResponse> ReadAsync(Stream stream)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var head = new List<byte>();
            var one = new byte[1];
            while (head.Count < 4 || head[^1] != '\n' || head[^2] != '\r' || head[^3] != '\n' || head[^4] != '\r')
            {
                if (await stream.ReadAsync(one, timeout.Token) == 0) throw new EndOfStreamException("the response head ended early");
                head.Add(one[0]);
            }
            var lines = Encoding.ASCII.GetString([.. head]).Split("\r\n");
            var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
            var length = lines.Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                .Select(l => int.Parse(l["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture)).Single();
            var body = new byte[length];
            await stream.ReadExactlyAsync(body, timeout.Token);
            return new RawResponse(status, body);
        }
    }
}
