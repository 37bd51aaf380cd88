using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests;

/// <summary>Connections to targets are kept alive and shared across clients, as ALB multiplexes them.</summary>
public sealed class ConnectionReuseTests
{
    [Fact]
    public async Task Requests_from_many_client_connections_reuse_a_few_target_connections()
    {
        await using var backend = await BackendServer.StartAsync("pooled");
        var template = new CfnTemplate().LoadBalancer().TargetGroup("Pool", [backend.Port]).Listener(CfnActions.Forward("Pool"));
        await using var elbe = await ElbeHarness.StartAsync(template.ToString());
        await elbe.WaitForHealthyAsync("Pool", backend.Port);

        const int requests = 60;
        for (var i = 0; i < requests; i++)
        {
            // A new client connection every time: the load balancer must still not open one per request.
            using var request = new HttpRequestMessage(HttpMethod.Get, elbe.Url("/"));
            request.Headers.ConnectionClose = true;
            using var response = await elbe.Client.SendAsync(request);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(requests, backend.TotalRequests);
        Assert.True(backend.DistinctConnections <= 3, $"{requests} requests reached the target over {backend.DistinctConnections} connections; they should share a few kept-alive ones.");
    }
}
