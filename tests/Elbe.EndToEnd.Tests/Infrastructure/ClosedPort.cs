using System.Net;
using System.Net.Sockets;

namespace Elbe.EndToEnd.Tests.Infrastructure;

/// <summary>A loopback port nothing listens on, so connecting to it is refused.</summary>
public static class ClosedPort
{
    public static int Find()
    {
        // The kernel handed this port out a moment ago and just got it back; another process taking it in between is very unlikely.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
