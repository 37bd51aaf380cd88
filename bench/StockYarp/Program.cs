using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Yarp.ReverseProxy.Configuration;

// A stock YARP 2.3 reverse proxy, configured the way its documentation shows (AddReverseProxy with routes and
// clusters, MapReverseProxy) and doing the same work as the other proxies in the benchmark, one port each:
//   PORT+0 plain: round robin over the targets
//   PORT+1 rules: ten path routes and two host routes the benchmark's request never matches, then a catch-all
//   PORT+2 sticky: cookie session affinity named AWSALB
//   PORT+3 https: TLS with the given PEM certificate, HTTP/1.1 and h2, then as plain
// Usage: stock-yarp LISTEN_ADDRESS FIRST_PORT CERT_PEM KEY_PEM TARGET_URL...
if (args.Length < 5)
{
    Console.Error.WriteLine("usage: stock-yarp LISTEN_ADDRESS FIRST_PORT CERT_PEM KEY_PEM TARGET_URL...");
    return 2;
}
var address = IPAddress.Parse(args[0]);
var firstPort = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
var certificate = X509Certificate2.CreateFromPemFile(args[2], args[3]);
var targets = args[4..];

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Limits.MaxRequestBodySize = null;
    for (var offset = 0; offset < 3; offset++)
        kestrel.Listen(address, firstPort + offset, listen => listen.Protocols = HttpProtocols.Http1);
    kestrel.Listen(address, firstPort + 3, listen =>
    {
        listen.Protocols = HttpProtocols.Http1AndHttp2;
        listen.UseHttps(certificate);
    });
});

var destinations = targets.Select((url, i) => (url, i)).ToDictionary(t => $"t{t.i}", t => new DestinationConfig { Address = t.url });
ClusterConfig Cluster(string id, SessionAffinityConfig? affinity = null) => new()
{
    ClusterId = id,
    LoadBalancingPolicy = "RoundRobin",
    SessionAffinity = affinity,
    Destinations = destinations,
};
string Port(int offset) => $"*:{firstPort + offset}";

var routes = new List<RouteConfig>
{
    new() { RouteId = "plain", ClusterId = "targets", Match = new() { Hosts = [Port(0), Port(3)], Path = "/{**rest}" } },
    new() { RouteId = "rules-default", ClusterId = "targets", Order = 100, Match = new() { Hosts = [Port(1)], Path = "/{**rest}" } },
    new() { RouteId = "sticky", ClusterId = "sticky", Match = new() { Hosts = [Port(2)], Path = "/{**rest}" } },
};
for (var i = 0; i < 10; i++)
    routes.Add(new() { RouteId = $"path{i}", ClusterId = "rule-targets", Order = i, Match = new() { Hosts = [Port(1)], Path = $"/svc{i}/{{**rest}}" } });
for (var i = 0; i < 2; i++)
    routes.Add(new() { RouteId = $"host{i}", ClusterId = "rule-targets", Order = 10 + i, Match = new() { Hosts = [$"api{i}.example.com"], Path = "/{**rest}" } });

builder.Services.AddReverseProxy().LoadFromMemory(routes,
[
    Cluster("targets"),
    Cluster("rule-targets"),
    Cluster("sticky", new SessionAffinityConfig { Enabled = true, Policy = "Cookie", AffinityKeyName = "AWSALB" }),
]);

var app = builder.Build();
app.MapReverseProxy();
app.Run();
return 0;
