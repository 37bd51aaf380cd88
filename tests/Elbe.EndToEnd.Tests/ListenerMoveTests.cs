using System.Net;
using System.Net.Sockets;
using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests;

/// <summary>
/// Edits that make a listener accept somewhere else (a new port, load balancer nodes added) and edits that take a
/// target group out of service: requests in flight finish, and the edit does not wait for them.
/// </summary>
public sealed class ListenerMoveTests
{
    [Fact]
    public async Task A_port_change_serves_on_the_new_port_while_a_request_on_the_old_one_is_still_running()
    {
        await using var a = await BackendServer.StartAsync("a");
        await using var elbe = await ElbeHarness.StartAsync(Template(a, port: 8080));
        await elbe.WaitForHealthyAsync("Pool", a.Port);

        var slow = elbe.Client.GetAsync(elbe.Url("/slow?ms=4000"));
        await Eventually.TrueAsync(() => a.InFlight == 1, "the slow request never reached the target");

        await elbe.ReloadAsync(Template(a, port: 8081));
        Assert.False(slow.IsCompleted, "The edit was applied only after the old listener's in-flight request had finished.");
        Assert.Equal("a", await GetBackendAsync(elbe, elbe.Url("/", port: 8081)));
        Assert.False(await AcceptsAsync(elbe.NodeAddress(), 8080), "The old port still accepts connections after the listener moved.");

        using var response = await slow;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_node_added_to_the_load_balancer_serves_and_the_existing_node_keeps_serving_while_a_request_runs()
    {
        await using var a = await BackendServer.StartAsync("a");
        await using var elbe = await ElbeHarness.StartAsync(Template(a, port: 8080));
        await elbe.WaitForHealthyAsync("Pool", a.Port);
        var firstNode = elbe.NodeAddress();

        var slow = elbe.Client.GetAsync(elbe.Url("/slow?ms=4000"));
        await Eventually.TrueAsync(() => a.InFlight == 1, "the slow request never reached the target");

        var threeZones = Template(a, port: 8080).Replace(
            $"Subnets: [{LoopbackSubnets.SubnetA}, {LoopbackSubnets.SubnetB}]",
            $"Subnets: [{LoopbackSubnets.SubnetA}, {LoopbackSubnets.SubnetB}, {LoopbackSubnets.SubnetC}]",
            StringComparison.Ordinal);
        await elbe.ReloadAsync(threeZones);
        Assert.False(slow.IsCompleted, "The edit was applied only after the old listener's in-flight request had finished.");

        var nodes = elbe.Server.LoadBalancer(CfnTemplate.DefaultLoadBalancer).Nodes;
        Assert.Equal(3, nodes.Length);
        foreach (var node in nodes)
            Assert.Equal("a", await GetBackendAsync(elbe, new Uri($"http://{node.IpAddress}:8080/")));
        Assert.Contains(nodes, n => n.IpAddress == firstNode);

        using var response = await slow;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Deleting_a_target_group_in_the_edit_that_routes_away_from_it_answers_no_request_with_503()
    {
        await using var a = await BackendServer.StartAsync("a");
        await using var b = await BackendServer.StartAsync("b");
        var before = new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Old", [a.Port])
            .TargetGroup("New", [b.Port])
            .Listener(CfnActions.Forward("Old"))
            .Rule("HostToNew", 100, """
                - Field: host-header
                  HostHeaderConfig:
                    Values: [new.example.com]
                """, CfnActions.Forward("New"));
        await using var elbe = await ElbeHarness.StartAsync(before.ToString());
        await elbe.WaitForHealthyAsync("Old", a.Port);
        await elbe.WaitForHealthyAsync("New", b.Port);

        // The second listener makes the apply take a while (a server starts) between the group update and the swap.
        var after = new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("New", [b.Port])
            .Listener(CfnActions.Forward("New"))
            .Listener(CfnActions.FixedResponse(200, "second"), name: "Second", port: 8081)
            .ToString();

        using var stop = new CancellationTokenSource();
        var statuses = new List<HttpStatusCode>();
        var traffic = Task.Run(async () =>
        {
            // Bounded by the stop below (within Eventually's 10 s) and a count no machine reaches first: with a fast
            // forwarding path 5,000 requests could end before a slow apply did, and then none reached the new group.
            for (var i = 0; i < 200_000 && !stop.IsCancellationRequested; i++)
            {
                using var response = await elbe.Client.GetAsync(elbe.Url("/"));
                lock (statuses) statuses.Add(response.StatusCode);
            }
        });
        try
        {
            await Eventually.TrueAsync(() => { lock (statuses) return statuses.Count > 0; }, "no request went through before the edit");
            await elbe.ReloadAsync(after);
            await Eventually.TrueAsync(() => b.TotalRequests > 0, "no request reached the new group after the edit");
        }
        finally
        {
            stop.Cancel();
            await traffic;
        }

        lock (statuses)
            Assert.True(statuses.TrueForAll(s => s == HttpStatusCode.OK),
                $"Requests during the edit: {string.Join(", ", statuses.GroupBy(s => (int)s).Select(g => $"{g.Key} x{g.Count()}"))}");
    }

    [Fact]
    public async Task A_removed_listener_stops_accepting_and_drains_its_in_flight_request()
    {
        await using var a = await BackendServer.StartAsync("a");
        var twoListeners = new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Pool", [a.Port])
            .Listener(CfnActions.Forward("Pool"), port: 8080)
            .Listener(CfnActions.Forward("Pool"), name: "Second", port: 8081)
            .ToString();
        await using var elbe = await ElbeHarness.StartAsync(twoListeners);
        await elbe.WaitForHealthyAsync("Pool", a.Port);

        var slow = elbe.Client.GetAsync(elbe.Url("/slow?ms=3000", port: 8081));
        await Eventually.TrueAsync(() => a.InFlight == 1, "the slow request never reached the target");

        await elbe.ReloadAsync(Template(a, port: 8080));
        Assert.False(slow.IsCompleted, "The edit waited for the removed listener's in-flight request.");
        Assert.False(await AcceptsAsync(elbe.NodeAddress(), 8081), "The removed listener still accepts connections.");
        Assert.Equal("a", await GetBackendAsync(elbe, elbe.Url("/", port: 8080)));

        using var response = await slow;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static string Template(BackendServer target, int port) => new CfnTemplate()
        .LoadBalancer()
        .TargetGroup("Pool", [target.Port])
        .Listener(CfnActions.Forward("Pool"), port: port)
        .ToString();

    private static async Task<string> GetBackendAsync(ElbeHarness elbe, Uri url)
    {
        using var response = await elbe.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("X-Backend").Single();
    }

    private static async Task<bool> AcceptsAsync(string address, int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await socket.ConnectAsync(IPAddress.Parse(address), port, timeout.Token);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
