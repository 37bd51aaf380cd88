using System.Net;
using System.Net.Sockets;
using Elbe.DataPlane.ProxyProtocol;
using Elbe.Routing.Health;

namespace Elbe.DataPlane.Health;

/// <summary>
/// NLB's TCP health check (fact sheet 0.4, 2.6): the target passes when it accepts a connection within the
/// timeout. A group with proxy protocol v2 gets a LOCAL header first, as its targets expect one on every
/// connection; the connection is then closed.
/// </summary>
public static class TcpConnectProbe
{
    private static readonly byte[] LocalHeader = ProxyProtocolV2.ToBytes(ProxyHeader.Local);

    public static async Task<HealthCheckOutcome> CheckAsync(string address, int port, TimeSpan timeout, bool sendLocalProxyHeader, CancellationToken cancellationToken)
    {
        if (!IPAddress.TryParse(address, out var ip)) return HealthCheckOutcome.ConnectionFailure;
        using var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(ip, port), timeoutSource.Token).ConfigureAwait(false);
            if (sendLocalProxyHeader) await socket.SendAsync(LocalHeader, SocketFlags.None, timeoutSource.Token).ConfigureAwait(false);
            socket.Shutdown(SocketShutdown.Both);
            return HealthCheckOutcome.Success;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckOutcome.Timeout;
        }
        catch (SocketException)
        {
            return HealthCheckOutcome.ConnectionFailure;
        }
    }
}
