using System.Net.Sockets;

namespace Elbe.DataPlane.Forwarding;

/// <summary>
/// Sets up connections to targets with ALB's two timeouts (fact sheet 1.11): the TCP connect (10 s, then 504) and,
/// once connected, the TLS handshake (10 s, then 502). The handler has one timeout for both, so the connect is timed
/// here, and a handshake deadline is armed when the socket connects and disarmed when the handler reaches the
/// plaintext stream (at once for HTTP targets, after the handshake for HTTPS ones).
/// </summary>
public static class TargetConnection
{
    /// <summary>Target connect timeout (ALB: 10 s, then 504).</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Target TLS handshake timeout (ALB: 10 s, then 502).</summary>
    public static readonly TimeSpan TlsHandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A bound on the whole setup for the handler, above the two timeouts this class enforces.</summary>
    public static readonly TimeSpan SetupTimeout = ConnectTimeout + TlsHandshakeTimeout + TimeSpan.FromSeconds(1);

    // The connecting request carries its connection's handshake deadline from one callback to the other.
    private static readonly HttpRequestOptionsKey<CancellationTokenSource> HandshakeDeadline = new("Elbe.TargetHandshakeDeadline");

    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(ConnectTimeout);
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                throw new TargetConnectTimeoutException();
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        // A handshake still running at the deadline loses its socket, and so fails: the client's 502.
        var deadline = new CancellationTokenSource(TlsHandshakeTimeout);
        deadline.Token.Register(static state => ((Socket)state!).Dispose(), socket);
        context.InitialRequestMessage.Options.Set(HandshakeDeadline, deadline);
        return new NetworkStream(socket, ownsSocket: true);
    }

    public static ValueTask<Stream> DisarmHandshakeDeadline(SocketsHttpPlaintextStreamFilterContext context, CancellationToken cancellationToken)
    {
        if (context.InitialRequestMessage.Options.TryGetValue(HandshakeDeadline, out var deadline))
            deadline.Dispose();
        return ValueTask.FromResult(context.PlaintextStream);
    }
}

/// <summary>The target did not accept the TCP connection within <see cref="TargetConnection.ConnectTimeout"/>.</summary>
public sealed class TargetConnectTimeoutException() : TimeoutException("The target did not accept the connection in time.");
