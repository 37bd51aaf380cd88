using System.Net.WebSockets;
using System.Text;
using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests;

/// <summary>WebSocket upgrades through the listener to a real echo endpoint.</summary>
public sealed class WebSocketTests
{
    [Fact]
    public async Task Text_and_binary_messages_echo_through_the_load_balancer()
    {
        await using var backend = await BackendServer.StartAsync("ws");
        var template = new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Sockets", [backend.Port])
            .Listener(CfnActions.Forward("Sockets"));
        await using var elbe = await ElbeHarness.StartAsync(template.ToString());
        await elbe.WaitForHealthyAsync("Sockets", backend.Port);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{elbe.NodeAddress()}:{CfnTemplate.ListenerPort}/ws"), timeout.Token);
        Assert.Equal(WebSocketState.Open, socket.State);

        for (var i = 0; i < 5; i++)
        {
            var text = $"hello {i} through elbe";
            await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
            var (type, payload) = await ReceiveMessageAsync(socket, timeout.Token);
            Assert.Equal(WebSocketMessageType.Text, type);
            Assert.Equal(text, Encoding.UTF8.GetString(payload));
        }

        var binary = new byte[100_000];
        new Random(42).NextBytes(binary);
        await socket.SendAsync(binary, WebSocketMessageType.Binary, true, timeout.Token);
        var (binaryType, echoed) = await ReceiveMessageAsync(socket, timeout.Token);
        Assert.Equal(WebSocketMessageType.Binary, binaryType);
        Assert.Equal(binary, echoed);

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        Assert.Equal(WebSocketState.Closed, socket.State);
        Assert.Equal(1, backend.TotalRequests);
    }

    private static async Task<(WebSocketMessageType Type, byte[] Payload)> ReceiveMessageAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        using var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        // Bounded: 100 frames of 16 K are far more than any message this test sends.
        for (var frame = 0; frame < 100; frame++)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
                return (result.MessageType, message.ToArray());
        }
        throw new Xunit.Sdk.XunitException("A WebSocket message did not end within 100 frames.");
    }
}
