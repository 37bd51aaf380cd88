using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Elbe.EndToEnd.Tests.Network;

/// <summary>A UDP target that answers every datagram with its name, a '|', and the datagram; it records who sent each one.</summary>
public sealed class UdpEchoTarget : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly ConcurrentQueue<IPEndPoint> _senders = new();

    private UdpEchoTarget(string name, Socket socket)
    {
        Name = name;
        _socket = socket;
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        _loop = Task.Run(LoopAsync);
    }

    public string Name { get; }
    public int Port { get; }
    /// <summary>The source of every datagram received, in order.</summary>
    public IReadOnlyList<IPEndPoint> Senders => [.. _senders];

    public static UdpEchoTarget Start(string name, IPAddress? address = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address ?? IPAddress.Loopback, 0));
        return new UdpEchoTarget(name, socket);
    }

    private async Task LoopAsync()
    {
        var buffer = new byte[65536];
        var prefix = Encoding.ASCII.GetBytes(Name + "|");
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try { received = await _socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), _stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException) { return; }
            catch (SocketException) { continue; }
            _senders.Enqueue((IPEndPoint)received.RemoteEndPoint);
            byte[] answer = [.. prefix, .. buffer.AsSpan(0, received.ReceivedBytes)];
            try { await _socket.SendToAsync(answer, received.RemoteEndPoint, _stop.Token); }
            catch (Exception e) when (e is SocketException or OperationCanceledException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _socket.Dispose();
        await _loop;
        _stop.Dispose();
    }
}
