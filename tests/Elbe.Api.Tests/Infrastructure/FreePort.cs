using System.Net;
using System.Net.Sockets;

namespace Elbe.Api.Tests.Infrastructure;

public static class FreePort
{
    /// <summary>A TCP port the kernel just handed out on 127.0.0.1; free unless someone grabs it in between.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
