using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Elbe.DataPlane.ProxyProtocol;

namespace Elbe.EndToEnd.Tests.Network;

/// <summary>
/// A raw TCP target: greets each connection with its name and a newline, then echoes every byte. With
/// <see cref="ExpectProxyHeader"/> it first reads a PROXY protocol v2 header with the data plane's parser and
/// keeps it, byte for byte, so tests can check what the load balancer sent. It can stop and start accepting
/// to fail and pass TCP health checks.
/// </summary>
public sealed class TcpEchoTarget : IAsyncDisposable
{
    private readonly IPAddress _address;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Accepted> _accepted = new();
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;

    private TcpEchoTarget(string name, IPAddress address, bool expectProxyHeader)
    {
        Name = name;
        _address = address;
        ExpectProxyHeader = expectProxyHeader;
    }

    public string Name { get; }
    public int Port { get; private set; }
    public bool ExpectProxyHeader { get; }

    /// <summary>Connections that carried at least one byte of payload (health checks carry none).</summary>
    public IReadOnlyList<Accepted> DataConnections => [.. _accepted.Where(a => a.PayloadBytes > 0)];
    public IReadOnlyList<Accepted> AllConnections => [.. _accepted];

    public static TcpEchoTarget Start(string name, bool expectProxyHeader = false, IPAddress? address = null)
    {
        var target = new TcpEchoTarget(name, address ?? IPAddress.Loopback, expectProxyHeader);
        target.Listen(0);
        return target;
    }

    /// <summary>Stops accepting: connection attempts are refused, so TCP health checks fail.</summary>
    public void StopAccepting()
    {
        _listener?.Dispose();
        _listener = null;
    }

    /// <summary>Accepts again on the same port.</summary>
    public void StartAccepting() => Listen(Port);

    private void Listen(int port)
    {
        var listener = new Socket(_address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(_address, port));
        listener.Listen(512);
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _listener = listener;
        _acceptLoop = AcceptLoopAsync(listener);
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await listener.AcceptAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            var accepted = new Accepted(socket, (IPEndPoint)socket.RemoteEndPoint!);
            _accepted.Enqueue(accepted);
            _ = ServeAsync(accepted);
        }
    }

    private async Task ServeAsync(Accepted connection)
    {
        var socket = connection.Socket;
        var buffer = new byte[8192];
        var filled = 0;
        try
        {
            if (ExpectProxyHeader)
            {
                while (true)
                {
                    var read = await socket.ReceiveAsync(buffer.AsMemory(filled), _stop.Token);
                    if (read == 0) return;
                    filled += read;
                    var status = ProxyProtocolV2.TryParse(buffer.AsSpan(0, filled), out var header, out var consumed);
                    if (status == ProxyParseStatus.Invalid) { connection.Error = "not a PROXY v2 header"; return; }
                    if (status == ProxyParseStatus.NeedMoreData) continue;
                    connection.ProxyHeader = header;
                    connection.RawProxyHeader = buffer[..consumed];
                    Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
                    filled -= consumed;
                    break;
                }
            }
            await socket.SendAsync(Encoding.ASCII.GetBytes(Name + "\n"), SocketFlags.None, _stop.Token);
            while (true)
            {
                if (filled > 0)
                {
                    connection.AddPayload(filled);
                    await socket.SendAsync(buffer.AsMemory(0, filled), SocketFlags.None, _stop.Token);
                }
                filled = await socket.ReceiveAsync(buffer, _stop.Token);
                if (filled == 0)
                {
                    connection.ClosedByPeer = true;
                    socket.Shutdown(SocketShutdown.Send);
                    return;
                }
            }
        }
        catch (SocketException e)
        {
            connection.ResetByPeer = e.SocketErrorCode == SocketError.ConnectionReset;
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException) { }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        StopAccepting();
        await _acceptLoop;
        foreach (var connection in _accepted) connection.Socket.Dispose();
        _stop.Dispose();
    }

    public sealed class Accepted(Socket socket, IPEndPoint remote)
    {
        private int _payloadBytes;
        public Socket Socket { get; } = socket;
        /// <summary>The address the connection came from: the node's, or the client's with preservation.</summary>
        public IPEndPoint Remote { get; } = remote;
        public ProxyHeader? ProxyHeader { get; set; }
        public byte[]? RawProxyHeader { get; set; }
        public string? Error { get; set; }
        public volatile bool ClosedByPeer;
        public volatile bool ResetByPeer;
        public int PayloadBytes => Volatile.Read(ref _payloadBytes);
        public void AddPayload(int bytes) => Interlocked.Add(ref _payloadBytes, bytes);
    }
}
