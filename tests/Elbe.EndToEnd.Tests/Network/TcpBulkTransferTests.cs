using System.Net.Sockets;
using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests.Network;

/// <summary>
/// Megabytes through one relayed flow, both ways at once: the relay's bulk path (whole-buffer reads, and bytes held
/// back whenever a socket's send buffer is full) must neither lose, repeat nor reorder a byte.
/// </summary>
public class TcpBulkTransferTests
{
    private const int Size = 8 * 1024 * 1024;

    [Fact]
    public async Task Several_mebibytes_arrive_byte_exact_in_both_directions_and_the_fin_is_passed_on_both_ways()
    {
        await using var target = TcpEchoTarget.Start("a");
        await using var harness = await ElbeHarness.StartAsync(new NlbTemplate().WithTargets(target.Port).ToString());
        await harness.WaitForHealthyAsync(NlbTemplate.TargetGroup, target.Port);
        await using var client = await NlbClient.ConnectAsync(harness.NodeAddress(NlbTemplate.LoadBalancer), NlbTemplate.ListenerPort);

        // Not a repeating short pattern: a byte dropped or repeated anywhere shifts everything after it.
        var sent = new byte[Size];
        new Random(5).NextBytes(sent);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var sending = SendThenFinishAsync(client.Socket, sent, timeout.Token);
        var received = await ReceiveToEndAsync(client.Socket, timeout.Token);
        await sending;

        Assert.Equal(Size, received.Length);
        Assert.True(sent.AsSpan().SequenceEqual(received), $"the echo differs first at byte {sent.AsSpan().CommonPrefixLength(received)}");
        var connection = Assert.Single(target.DataConnections);
        Assert.Equal(Size, connection.PayloadBytes);
        // The client's FIN reached the target (it saw the end of the stream), and the target's came back.
        Assert.True(connection.ClosedByPeer);
        Assert.False(connection.ResetByPeer);
    }

    [Fact]
    public async Task A_slow_reading_client_gets_every_byte_in_order_while_the_relay_holds_back_what_it_cannot_send()
    {
        await using var target = TcpEchoTarget.Start("a");
        await using var harness = await ElbeHarness.StartAsync(new NlbTemplate().WithTargets(target.Port).ToString());
        await harness.WaitForHealthyAsync(NlbTemplate.TargetGroup, target.Port);
        await using var client = await NlbClient.ConnectAsync(harness.NodeAddress(NlbTemplate.LoadBalancer), NlbTemplate.ListenerPort);
        client.Socket.ReceiveBufferSize = 64 * 1024;

        var sent = new byte[Size / 4];
        new Random(7).NextBytes(sent);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var sending = SendThenFinishAsync(client.Socket, sent, timeout.Token);
        // Small reads with pauses: the client's receive buffer stays full, so the relay meets a full send buffer
        // toward it again and again and must hold bytes back, stop reading the target, and go on when there is room.
        var received = new byte[sent.Length + 1];
        var filled = 0;
        for (var reads = 0; filled < received.Length && reads < received.Length; reads++)
        {
            var read = await client.Socket.ReceiveAsync(received.AsMemory(filled, Math.Min(2048, received.Length - filled)), SocketFlags.None, timeout.Token);
            if (read == 0) break;
            filled += read;
            if (reads % 16 == 0) await Task.Delay(1, timeout.Token);
        }
        await sending;

        Assert.Equal(sent.Length, filled);
        Assert.True(sent.AsSpan().SequenceEqual(received.AsSpan(0, filled)), $"the echo differs first at byte {sent.AsSpan().CommonPrefixLength(received.AsSpan(0, filled))}");
        Assert.True(Assert.Single(target.DataConnections).ClosedByPeer);
    }

    private static async Task SendThenFinishAsync(Socket socket, byte[] bytes, CancellationToken cancellationToken)
    {
        // Uneven pieces, so the relay sees partial reads and partial sends, not only whole 64 KiB chunks.
        var offset = 0;
        for (var piece = 1; offset < bytes.Length; piece++)
        {
            var length = Math.Min(bytes.Length - offset, 1 + (piece * 7919 % 200_000));
            await socket.SendAsync(bytes.AsMemory(offset, length), SocketFlags.None, cancellationToken);
            offset += length;
        }
        socket.Shutdown(SocketShutdown.Send);
    }

    private static async Task<byte[]> ReceiveToEndAsync(Socket socket, CancellationToken cancellationToken)
    {
        var received = new byte[Size + 1];
        var filled = 0;
        // Bounded: every read returns at least a byte until the end, and there are at most Size + 1 of them.
        while (filled < received.Length)
        {
            var read = await socket.ReceiveAsync(received.AsMemory(filled), SocketFlags.None, cancellationToken);
            if (read == 0) break;
            filled += read;
        }
        return received[..filled];
    }
}
