using System.Text.RegularExpressions;
using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests;

/// <summary>What the target receives: X-Forwarded-*, X-Amzn-Trace-Id and Host, read back from the backend's /echo.</summary>
public sealed partial class ForwardedHeaderTests
{
    private static readonly System.Net.IPAddress ClientAddress = LoopbackSubnets.ClientAddress(3, 3);

    [Fact]
    public async Task Append_mode_sets_x_forwarded_for_to_the_client_address_when_absent()
    {
        await using var setup = await StartAsync(mode: null);
        using var client = BoundHttpClient.Create(ClientAddress);

        var echoed = await setup.Elbe.EchoAsync(client: client);

        Assert.Equal(["127.250.3.3"], echoed.HeaderValues("X-Forwarded-For"));
    }

    [Fact]
    public async Task Append_mode_appends_the_client_address_to_an_existing_x_forwarded_for()
    {
        await using var setup = await StartAsync(mode: "append");
        using var client = BoundHttpClient.Create(ClientAddress);

        var echoed = await setup.Elbe.EchoAsync(r => r.Headers.Add("X-Forwarded-For", "203.0.113.7, 198.51.100.2"), client);

        Assert.Equal("203.0.113.7, 198.51.100.2, 127.250.3.3", echoed.Header("X-Forwarded-For"));
    }

    [Fact]
    public async Task Client_port_mode_adds_the_client_port_to_x_forwarded_for()
    {
        await using var setup = await StartAsync(mode: "append", clientPort: true);
        using var client = BoundHttpClient.Create(ClientAddress);

        var echoed = await setup.Elbe.EchoAsync(client: client);

        Assert.Matches(ClientWithPort(), echoed.Header("X-Forwarded-For") ?? "(absent)");
    }

    [Fact]
    public async Task Preserve_mode_leaves_x_forwarded_for_untouched()
    {
        await using var setup = await StartAsync(mode: "preserve");
        using var client = BoundHttpClient.Create(ClientAddress);

        var present = await setup.Elbe.EchoAsync(r => r.Headers.Add("X-Forwarded-For", "203.0.113.7"), client);
        var absent = await setup.Elbe.EchoAsync(client: client);

        Assert.Equal("203.0.113.7", present.Header("X-Forwarded-For"));
        Assert.Null(absent.Header("X-Forwarded-For"));
    }

    [Fact]
    public async Task Remove_mode_deletes_x_forwarded_for()
    {
        await using var setup = await StartAsync(mode: "remove");
        using var client = BoundHttpClient.Create(ClientAddress);

        var echoed = await setup.Elbe.EchoAsync(r => r.Headers.Add("X-Forwarded-For", "203.0.113.7"), client);

        Assert.Null(echoed.Header("X-Forwarded-For"));
    }

    [Fact]
    public async Task X_forwarded_proto_and_port_describe_the_listener()
    {
        await using var setup = await StartAsync(mode: null);

        var echoed = await setup.Elbe.EchoAsync();

        Assert.Equal("http", echoed.Header("X-Forwarded-Proto"));
        Assert.Equal("8080", echoed.Header("X-Forwarded-Port"));
    }

    [Fact]
    public async Task A_fresh_trace_id_root_is_added_to_each_request()
    {
        await using var setup = await StartAsync(mode: null);

        var first = (await setup.Elbe.EchoAsync()).Header("X-Amzn-Trace-Id");
        var second = (await setup.Elbe.EchoAsync()).Header("X-Amzn-Trace-Id");

        Assert.Matches(RootOnly(), first ?? "(absent)");
        Assert.Matches(RootOnly(), second ?? "(absent)");
        Assert.NotEqual(first, second);
        var epochSeconds = Convert.ToInt64(first![7..15], 16);
        Assert.InRange(epochSeconds, DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task A_client_trace_id_keeps_its_root_and_fields_and_gains_a_self_field()
    {
        await using var setup = await StartAsync(mode: null);
        const string sent = "Root=1-5759e988-bd862e3fe1be46a994272793;CalledFrom=app";

        var echoed = await setup.Elbe.EchoAsync(r => r.Headers.Add("X-Amzn-Trace-Id", sent));

        var received = echoed.Header("X-Amzn-Trace-Id") ?? "(absent)";
        Assert.Matches(SelfThenRoot(), received);
        Assert.EndsWith(";" + sent, received, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_trace_id_with_a_self_field_gets_its_self_replaced()
    {
        await using var setup = await StartAsync(mode: null);
        const string root = "Root=1-5759e988-bd862e3fe1be46a994272793;CalledFrom=app";

        var echoed = await setup.Elbe.EchoAsync(r => r.Headers.Add("X-Amzn-Trace-Id", "Self=1-00000000-000000000000000000000000;" + root));

        var received = echoed.Header("X-Amzn-Trace-Id") ?? "(absent)";
        Assert.Matches(SelfThenRoot(), received);
        Assert.DoesNotContain("Self=1-00000000-000000000000000000000000", received, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_http_1_0_request_without_host_reaches_the_target_with_the_load_balancer_dns_name()
    {
        await using var setup = await StartAsync(mode: null);

        var response = await RawHttpExchange.SendAsync(setup.Elbe.NodeAddress(), CfnTemplate.ListenerPort, "GET /echo HTTP/1.0\r\n\r\n");

        Assert.True(response.StatusCode == 200, $"Expected 200, got: {response}");
        var echoed = System.Text.Json.JsonSerializer.Deserialize<EchoedRequest>(response.Body)!;
        var dnsName = setup.Elbe.Server.LoadBalancer(CfnTemplate.DefaultLoadBalancer).DnsName;
        Assert.StartsWith(dnsName, echoed.Header("Host") ?? "(absent)", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_is_lower_cased_on_the_way_to_the_target()
    {
        await using var setup = await StartAsync(mode: null);

        var echoed = await setup.Elbe.EchoAsync(r => r.Headers.Host = "WWW.Example.COM:8080");

        Assert.Equal("www.example.com:8080", echoed.Header("Host"));
    }

    [Fact]
    public async Task Host_without_a_port_gains_the_listener_port()
    {
        await using var setup = await StartAsync(mode: null);

        var echoed = await setup.Elbe.EchoAsync(r => r.Headers.Host = "Shop.Example.com");

        Assert.Equal("shop.example.com:8080", echoed.Header("Host"));
    }

    [Fact]
    public async Task Expect_100_continue_is_answered_by_the_load_balancer_and_not_forwarded()
    {
        await using var setup = await StartAsync(mode: null);

        var echoed = await setup.Elbe.EchoAsync(r =>
        {
            r.Method = HttpMethod.Post;
            r.Headers.ExpectContinue = true;
            r.Content = new StringContent("payload");
        });

        Assert.Equal("POST", echoed.Method);
        Assert.Null(echoed.Header("Expect"));
    }

    [Fact]
    public async Task Method_path_and_query_reach_the_target_unchanged()
    {
        await using var setup = await StartAsync(mode: null);

        var echoed = await setup.Elbe.EchoAsync(r => r.Method = HttpMethod.Put, pathAndQuery: "/echo/Some/Path?b=2&a=%20x");

        Assert.Equal(("PUT", "/echo/Some/Path", "?b=2&a=%20x"), (echoed.Method, echoed.Path, echoed.QueryString));
    }

    [GeneratedRegex("^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$")]
    private static partial Regex RootOnly();

    [GeneratedRegex("^Self=1-[0-9a-f]{8}-[0-9a-f]{24};Root=1-5759e988-bd862e3fe1be46a994272793;CalledFrom=app$")]
    private static partial Regex SelfThenRoot();

    [GeneratedRegex(@"^127\.250\.3\.3:\d{1,5}$")]
    private static partial Regex ClientWithPort();

    private static async Task<EchoSetup> StartAsync(string? mode, bool clientPort = false)
    {
        var backend = await BackendServer.StartAsync("echo");
        try
        {
            var attributes = new Dictionary<string, string>();
            if (mode is not null)
                attributes["routing.http.xff_header_processing.mode"] = mode;
            if (clientPort)
                attributes["routing.http.xff_client_port.enabled"] = "true";
            var template = new CfnTemplate()
                .LoadBalancer(attributes: attributes)
                .TargetGroup("Echo", [backend.Port])
                .Listener(CfnActions.Forward("Echo"));
            var elbe = await ElbeHarness.StartAsync(template.ToString());
            return new EchoSetup(backend, elbe);
        }
        catch
        {
            await backend.DisposeAsync();
            throw;
        }
    }

    private sealed record EchoSetup(BackendServer Backend, ElbeHarness Elbe) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Elbe.DisposeAsync();
            await Backend.DisposeAsync();
        }
    }
}
