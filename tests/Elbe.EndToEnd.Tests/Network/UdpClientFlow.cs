using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Elbe.EndToEnd.Tests.Network;

/// <summary>One client UDP socket (one 5-tuple) talking to an NLB listener.</summary>
public sealed class UdpClientFlow : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public UdpClientFlow(string node, int port, IPAddress? from = null)
    {
        Socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        Socket.Bind(new IPEndPoint(from ?? IPAddress.Loopback, 0));
        Socket.Connect(IPAddress.Parse(node), port);
    }

    public Socket Socket { get; }

    /// <summary>Sends one datagram and returns the answer as (target name, echoed text).</summary>
    public async Task<(string Target, string Text)> EchoAsync(string text)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await Socket.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None, timeout.Token);
        var buffer = new byte[65536];
        var read = await Socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        var answer = Encoding.ASCII.GetString(buffer, 0, read);
        var bar = answer.IndexOf('|');
        return bar < 0 ? ("", answer) : (answer[..bar], answer[(bar + 1)..]);
    }

    public void Dispose() => Socket.Dispose();
}
