using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Elbe.DataPlane.Network;

namespace Elbe.EndToEnd.Tests.Network;

/// <summary>The ALPN list read from a real ClientHello, as .NET's TLS client sends it.</summary>
public class ClientAlpnOfferTests
{
    private static async Task<byte[]> CaptureClientHelloAsync(List<SslApplicationProtocol>? offered)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await client.ConnectAsync(listener.LocalEndPoint!, timeout.Token);
        using var server = await listener.AcceptAsync(timeout.Token);
        var tls = new SslStream(new NetworkStream(client, ownsSocket: false));
        var handshake = tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "alpn.example.com",
            ApplicationProtocols = offered,
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
        }, timeout.Token);

        var buffer = new byte[16 * 1024];
        var filled = 0;
        for (var reads = 0; reads < 20; reads++)
        {
            filled += await server.ReceiveAsync(buffer.AsMemory(filled), timeout.Token);
            if (filled >= 5 && filled >= 5 + ((buffer[3] << 8) | buffer[4])) break;
        }
        server.Close();
        await Assert.ThrowsAnyAsync<Exception>(() => handshake);
        await tls.DisposeAsync();
        return buffer[..filled];
    }

    [Fact]
    public async Task The_offered_protocols_are_read_in_the_clients_order()
    {
        var hello = await CaptureClientHelloAsync([SslApplicationProtocol.Http11, new("http/1.0"), SslApplicationProtocol.Http2]);
        Assert.Equal(["http/1.1", "http/1.0", "h2"], ClientAlpnOffer.Read(hello));
    }

    [Fact]
    public async Task A_client_without_alpn_offers_nothing_and_partial_or_foreign_bytes_tell_nothing()
    {
        var hello = await CaptureClientHelloAsync(null);
        Assert.Empty(ClientAlpnOffer.Read(hello)!);
        Assert.Null(ClientAlpnOffer.Read(hello.AsSpan(0, hello.Length / 2)));
        Assert.Null(ClientAlpnOffer.Read("GET / HTTP/1.1\r\n\r\n"u8));
    }
}
