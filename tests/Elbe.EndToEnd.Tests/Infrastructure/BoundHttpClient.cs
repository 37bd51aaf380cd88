using System.Net;
using System.Net.Sockets;

namespace Elbe.EndToEnd.Tests.Infrastructure;

/// <summary>
/// An HttpClient that behaves like a bare user agent: no redirects followed, no cookie jar, no proxy, and
/// optionally a chosen loopback source address so the load balancer sees a specific peer.
/// </summary>
public static class BoundHttpClient
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);

    public static HttpClient Create(IPAddress? sourceAddress = null)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.FromSeconds(30),
            // Shorter than the 1 s idle timeout some tests give the load balancer, so a pooled connection is never reused just as it closes.
            PooledConnectionIdleTimeout = TimeSpan.FromMilliseconds(500),
        };
        if (sourceAddress is not null)
        {
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(sourceAddress, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }
        return new HttpClient(handler) { Timeout = RequestTimeout };
    }
}
