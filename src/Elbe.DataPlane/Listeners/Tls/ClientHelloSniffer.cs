using System.Buffers;
using Elbe.Routing.Tls;
using Microsoft.AspNetCore.Connections;

namespace Elbe.DataPlane.Listeners.Tls;

/// <summary>
/// Connection middleware ahead of the TLS handshake: peeks at the client's first record without consuming it,
/// so certificate selection knows which key types the client can use (Kestrel only exposes the SNI name).
/// A client that does not send its ClientHello within the handshake timeout is disconnected here.
/// </summary>
public static class ClientHelloSniffer
{
    public static readonly object ItemsKey = new();

    public static async Task SniffAsync(ConnectionContext connection, ConnectionDelegate next, TimeSpan timeout)
    {
        var input = connection.Transport.Input;
        ClientHello? hello = null;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
        {
            deadline.CancelAfter(timeout);
            try
            {
                while (true)
                {
                    var result = await input.ReadAsync(deadline.Token);
                    var buffer = result.Buffer;
                    var status = Parse(buffer, out hello);
                    if (status != ClientHelloParseStatus.Incomplete || result.IsCompleted || result.IsCanceled)
                    {
                        // Nothing consumed: the TLS stack reads the same bytes from the start.
                        input.AdvanceTo(buffer.Start);
                        break;
                    }
                    input.AdvanceTo(buffer.Start, buffer.End);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException or ConnectionAbortedException)
            {
                connection.Abort(new ConnectionAbortedException("No TLS ClientHello within the handshake timeout."));
                return;
            }
        }
        if (hello is not null) connection.Items[ItemsKey] = hello;
        await next(connection);
    }

    private static ClientHelloParseStatus Parse(ReadOnlySequence<byte> buffer, out ClientHello? hello)
    {
        if (buffer.IsSingleSegment) return ClientHelloParser.TryParse(buffer.FirstSpan, out hello);
        var length = (int)Math.Min(buffer.Length, ClientHelloParser.MaxRecordLength);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer.Slice(0, length).CopyTo(rented);
            return ClientHelloParser.TryParse(rented.AsSpan(0, length), out hello);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
