using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Elbe.EndToEnd.Tests.Network;

/// <summary>A raw TCP client of an NLB listener that learns which <see cref="TcpEchoTarget"/> answered from its greeting.</summary>
public sealed class NlbClient : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private NlbClient(Socket socket, string target)
    {
        Socket = socket;
        Target = target;
    }

    public Socket Socket { get; }
    /// <summary>The name the target greeted with.</summary>
    public string Target { get; }

    public static Task<NlbClient> ConnectAsync(string address, int port, IPAddress? from = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (from is not null) socket.Bind(new IPEndPoint(from, 0));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return ConnectAsync(socket, address, port);
    }

    /// <summary>Connects a socket the caller made (in another network namespace, say); the client owns it from here.</summary>
    public static async Task<NlbClient> ConnectAsync(Socket socket, string address, int port)
    {
        try
        {
            using var timeout = new CancellationTokenSource(Timeout);
            await socket.ConnectAsync(IPAddress.Parse(address), port, timeout.Token);
            var greeting = await ReadLineAsync(socket, timeout.Token);
            return new NlbClient(socket, greeting);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends <paramref name="text"/> and returns what came back once as many bytes arrived.</summary>
    public async Task<string> EchoAsync(string text)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var bytes = Encoding.ASCII.GetBytes(text);
        await Socket.SendAsync(bytes, SocketFlags.None, timeout.Token);
        var buffer = new byte[bytes.Length];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await Socket.ReceiveAsync(buffer.AsMemory(filled), timeout.Token);
            if (read == 0) throw new IOException($"The connection closed after {filled} of {buffer.Length} echoed bytes.");
            filled += read;
        }
        return Encoding.ASCII.GetString(buffer);
    }

    /// <summary>Reads until the peer closes or resets; returns how it ended.</summary>
    public async Task<SocketError> ReadToEndAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var buffer = new byte[1024];
        try
        {
            for (var reads = 0; reads < 10_000; reads++)
                if (await Socket.ReceiveAsync(buffer, timeout.Token) == 0) return SocketError.Success;
            return SocketError.TooManyOpenSockets;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
    }

    private static async Task<string> ReadLineAsync(Socket socket, CancellationToken cancellationToken)
    {
        var line = new List<byte>();
        var one = new byte[1];
        for (var i = 0; i < 200; i++)
        {
            if (await socket.ReceiveAsync(one, cancellationToken) == 0) throw new IOException($"The connection closed before a greeting (got '{Encoding.ASCII.GetString([.. line])}').");
            if (one[0] == '\n') return Encoding.ASCII.GetString([.. line]);
            line.Add(one[0]);
        }
        throw new IOException("No greeting line.");
    }

    public ValueTask DisposeAsync()
    {
        Socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
