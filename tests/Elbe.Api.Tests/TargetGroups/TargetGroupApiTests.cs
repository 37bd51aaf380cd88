using Elbe.Api.Tests.Infrastructure;
using Elbe.Api.Tests.LoadBalancers;
using static Elbe.Api.Tests.TargetGroups.TargetGroupCalls;

namespace Elbe.Api.Tests.TargetGroups;

/// <summary>CreateTargetGroup, DescribeTargetGroups, ModifyTargetGroup, DeleteTargetGroup and the attribute calls over signed HTTP.</summary>
public sealed class TargetGroupApiTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    private SignedApiClient Client => server.Client;

    private async Task<Dictionary<string, string>> CreateFieldsAsync(ApiRequestParameters p) =>
        Fields(Assert.Single((await Client.CallAsync("CreateTargetGroup", p)).AssertSuccess("CreateTargetGroup").Members("TargetGroups")));

    [Fact]
    public async Task An_ALB_HTTP_target_group_gets_AWS_health_check_defaults()
    {
        var name = UniqueName.Next("tg");
        var tg = await CreateFieldsAsync(Group(name));
        Assert.Matches($@"^arn:aws:elasticloadbalancing:us-east-1:\d{{12}}:targetgroup/{name}/[0-9a-f]{{16}}$", tg["TargetGroupArn"]);
        Assert.Equal(name, tg["TargetGroupName"]);
        Assert.Equal("HTTP", tg["Protocol"]);
        Assert.Equal("80", tg["Port"]);
        Assert.Equal("vpc-00000000000000000", tg["VpcId"]);
        Assert.Equal("HTTP", tg["HealthCheckProtocol"]);
        Assert.Equal("traffic-port", tg["HealthCheckPort"]);
        Assert.Equal("true", tg["HealthCheckEnabled"]);
        Assert.Equal("30", tg["HealthCheckIntervalSeconds"]);
        Assert.Equal("5", tg["HealthCheckTimeoutSeconds"]);
        Assert.Equal("5", tg["HealthyThresholdCount"]);
        Assert.Equal("2", tg["UnhealthyThresholdCount"]);
        Assert.Equal("/", tg["HealthCheckPath"]);
        Assert.Contains("<HttpCode>200</HttpCode>", tg["Matcher"]);
        Assert.Equal("", tg["LoadBalancerArns"]);
        Assert.Equal("instance", tg["TargetType"]);
        Assert.Equal("HTTP1", tg["ProtocolVersion"]);
        Assert.Equal("ipv4", tg["IpAddressType"]);
    }

    [Fact]
    public async Task Each_kind_of_target_group_gets_its_own_health_check_defaults()
    {
        var https = await CreateFieldsAsync(Group(UniqueName.Next("tg"), "HTTPS", 443, "ip"));
        Assert.Equal("HTTPS", https["HealthCheckProtocol"]);

        var grpc = await CreateFieldsAsync(Group(UniqueName.Next("tg"), "HTTP", 50051).Add("ProtocolVersion", "GRPC"));
        Assert.Equal("/AWS.ALB/healthcheck", grpc["HealthCheckPath"]);
        Assert.Contains("<GrpcCode>12</GrpcCode>", grpc["Matcher"]);
        Assert.DoesNotContain("HttpCode", grpc["Matcher"]);

        var tcp = await CreateFieldsAsync(Group(UniqueName.Next("tg"), "TCP", 5000));
        Assert.Equal("TCP", tcp["HealthCheckProtocol"]);
        Assert.Equal("10", tcp["HealthCheckTimeoutSeconds"]);
        Assert.Equal("30", tcp["HealthCheckIntervalSeconds"]);
        Assert.False(tcp.ContainsKey("HealthCheckPath"));
        Assert.False(tcp.ContainsKey("Matcher"));
        Assert.False(tcp.ContainsKey("ProtocolVersion"));

        var tcpHttpCheck = await CreateFieldsAsync(Group(UniqueName.Next("tg"), "TCP", 5000).Add("HealthCheckProtocol", "HTTP"));
        Assert.Equal("6", tcpHttpCheck["HealthCheckTimeoutSeconds"]);
        Assert.Contains("<HttpCode>200-399</HttpCode>", tcpHttpCheck["Matcher"]);

        foreach (var protocol in new[] { "TLS", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC" })
            Assert.Equal("TCP", (await CreateFieldsAsync(Group(UniqueName.Next("tg"), protocol, 5000)))["HealthCheckProtocol"]);

        var geneve = await CreateFieldsAsync(Group(UniqueName.Next("tg"), "GENEVE", 6081));
        Assert.Equal(("80", "10", "5"), (geneve["HealthCheckPort"], geneve["HealthCheckIntervalSeconds"], geneve["HealthCheckTimeoutSeconds"]));

        var albType = await CreateFieldsAsync(Group(UniqueName.Next("tg"), "TCP", 80, "alb"));
        Assert.Equal(("HTTP", "6"), (albType["HealthCheckProtocol"], albType["HealthCheckTimeoutSeconds"]));

        var lambda = await CreateFieldsAsync(Group(UniqueName.Next("tg"), protocol: null, port: null, targetType: "lambda"));
        Assert.Equal("lambda", lambda["TargetType"]);
        Assert.False(lambda.ContainsKey("Protocol"));
        Assert.False(lambda.ContainsKey("Port"));
        Assert.False(lambda.ContainsKey("VpcId"));
        Assert.Equal(("false", "35", "30", "5", "5"), (lambda["HealthCheckEnabled"], lambda["HealthCheckIntervalSeconds"],
            lambda["HealthCheckTimeoutSeconds"], lambda["HealthyThresholdCount"], lambda["UnhealthyThresholdCount"]));
    }

    [Fact]
    public async Task Create_is_idempotent_for_the_same_settings_and_refuses_a_different_group_with_the_same_name()
    {
        var name = UniqueName.Next("tg");
        var first = await CreateAsync(Client, name);
        Assert.Equal(first, await CreateAsync(Client, name));
        (await Client.CallAsync("CreateTargetGroup", Group(name, port: 8080))).AssertError("DuplicateTargetGroupName");
    }

    [Fact]
    public async Task Create_refuses_missing_or_misplaced_members_with_ValidationError()
    {
        (await Client.CallAsync("CreateTargetGroup", new ApiRequestParameters().Add("Name", UniqueName.Next("tg")).Add("Protocol", "HTTP").Add("Port", 80)))
            .AssertError("ValidationError");
        (await Client.CallAsync("CreateTargetGroup", Group(UniqueName.Next("tg"), port: null))).AssertError("ValidationError");
        (await Client.CallAsync("CreateTargetGroup", Group(UniqueName.Next("tg"), "HTTP", 80, "lambda"))).AssertError("ValidationError");
        (await Client.CallAsync("CreateTargetGroup", Group(UniqueName.Next("tg"), "SCTP"))).AssertError("ValidationError");
        (await Client.CallAsync("CreateTargetGroup", Group("-bad-name"))).AssertError("ValidationError");
        (await Client.CallAsync("CreateTargetGroup", Group(UniqueName.Next("tg")).Add("HealthCheckIntervalSeconds", 4))).AssertError("ValidationError");
        (await Client.CallAsync("CreateTargetGroup", Group(UniqueName.Next("tg")).Add("HealthCheckEnabled", false))).AssertError("ValidationError");
        (await Client.CallAsync("CreateTargetGroup", Group(UniqueName.Next("tg"), "TCP", 80).Add("ProtocolVersion", "HTTP2"))).AssertError("ValidationError");
        (await Client.CallAsync("CreateTargetGroup", Group(UniqueName.Next("tg"), "GENEVE", 80))).AssertError("ValidationError");
    }

    [Fact]
    public async Task Describe_filters_are_exclusive_and_unknown_groups_are_TargetGroupNotFound()
    {
        var name = UniqueName.Next("tg");
        var arn = await CreateAsync(Client, name);

        var byName = (await Client.CallAsync("DescribeTargetGroups", new ApiRequestParameters().List("Names", name))).AssertSuccess("DescribeTargetGroups");
        Assert.Equal(arn, ApiResponse.Child(Assert.Single(byName.Members("TargetGroups")), "TargetGroupArn"));
        Assert.Null(byName.Element("NextMarker"));

        var byArn = (await Client.CallAsync("DescribeTargetGroups", new ApiRequestParameters().List("TargetGroupArns", arn))).AssertSuccess();
        Assert.Equal(name, ApiResponse.Child(Assert.Single(byArn.Members("TargetGroups")), "TargetGroupName"));

        (await Client.CallAsync("DescribeTargetGroups", new ApiRequestParameters().List("Names", name).List("TargetGroupArns", arn))).AssertError("ValidationError");
        (await Client.CallAsync("DescribeTargetGroups", new ApiRequestParameters().List("Names", "no-such-group"))).AssertError("TargetGroupNotFound");
        (await Client.CallAsync("DescribeTargetGroups", new ApiRequestParameters().List("TargetGroupArns", arn.Replace(name, "gone", StringComparison.Ordinal))))
            .AssertError("TargetGroupNotFound");
        (await Client.CallAsync("DescribeTargetGroups", new ApiRequestParameters().Add("LoadBalancerArn", "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/none/0123456789abcdef")))
            .AssertError("LoadBalancerNotFound");
    }

    [Fact]
    public async Task Describe_pages_with_Marker_and_PageSize()
    {
        var arns = new List<string>();
        for (var i = 0; i < 5; i++) arns.Add(await CreateAsync(Client, UniqueName.Next("pg")));
        var seen = new List<string>();
        string? marker = null;
        var pages = 0;
        do
        {
            var p = new ApiRequestParameters().List("TargetGroupArns", arns).Add("PageSize", 2);
            if (marker is not null) p.Add("Marker", marker);
            var page = (await Client.CallAsync("DescribeTargetGroups", p)).AssertSuccess();
            seen.AddRange(page.Members("TargetGroups").Select(m => ApiResponse.Child(m, "TargetGroupArn")!));
            marker = page.Value("NextMarker");
            pages++;
        } while (marker is not null);
        Assert.Equal(3, pages);
        Assert.Equal(arns, seen);
        (await Client.CallAsync("DescribeTargetGroups", new ApiRequestParameters().Add("PageSize", 401))).AssertError("ValidationError");
    }

    [Fact]
    public async Task A_group_in_use_lists_its_load_balancer_and_cannot_be_deleted_until_released()
    {
        var tgArn = await CreateAsync(Client, UniqueName.Next("tg"));
        var lbArn = await LoadBalancerCalls.CreateArnAsync(Client, UniqueName.Next("alb"));
        var listener = (await LoadBalancerCalls.CreateListenerAsync(Client, lbArn, "HTTP", 8080, p => LoadBalancerCalls.Forward(p, tgArn)))
            .AssertSuccess("CreateListener").Value("ListenerArn")!;

        var byLb = (await Client.CallAsync("DescribeTargetGroups", new ApiRequestParameters().Add("LoadBalancerArn", lbArn))).AssertSuccess();
        var tg = Assert.Single(byLb.Members("TargetGroups"));
        Assert.Equal(tgArn, ApiResponse.Child(tg, "TargetGroupArn"));
        Assert.Equal([lbArn], ApiResponse.Members(tg.Elements().Single(e => e.Name.LocalName == "LoadBalancerArns")).Select(m => m.Value));

        (await Client.CallAsync("DeleteTargetGroup", new ApiRequestParameters().Add("TargetGroupArn", tgArn))).AssertError("ResourceInUse");
        (await Client.CallAsync("DeleteListener", new ApiRequestParameters().Add("ListenerArn", listener))).AssertSuccess();
        (await Client.CallAsync("DeleteTargetGroup", new ApiRequestParameters().Add("TargetGroupArn", tgArn))).AssertSuccess("DeleteTargetGroup");
        (await Client.CallAsync("DescribeTargetGroups", new ApiRequestParameters().List("TargetGroupArns", tgArn))).AssertError("TargetGroupNotFound");
        // Deleting what is already gone succeeds.
        (await Client.CallAsync("DeleteTargetGroup", new ApiRequestParameters().Add("TargetGroupArn", tgArn))).AssertSuccess();
    }

    [Fact]
    public async Task Modify_changes_only_health_check_fields()
    {
        var arn = await CreateAsync(Client, UniqueName.Next("tg"));
        var modified = (await Client.CallAsync("ModifyTargetGroup", new ApiRequestParameters().Add("TargetGroupArn", arn)
            .Add("HealthCheckPath", "/health").Add("HealthCheckIntervalSeconds", 10).Add("HealthyThresholdCount", 3)
            .Struct("Matcher", m => m.Add("HttpCode", "200-299")))).AssertSuccess("ModifyTargetGroup");
        var tg = Fields(Assert.Single(modified.Members("TargetGroups")));
        Assert.Equal(("/health", "10", "3", "5", "80"), (tg["HealthCheckPath"], tg["HealthCheckIntervalSeconds"], tg["HealthyThresholdCount"], tg["HealthCheckTimeoutSeconds"], tg["Port"]));
        Assert.Contains("<HttpCode>200-299</HttpCode>", tg["Matcher"]);

        (await Client.CallAsync("ModifyTargetGroup", new ApiRequestParameters().Add("TargetGroupArn", arn).Add("HealthCheckTimeoutSeconds", 20)))
            .AssertError("ValidationError");
        (await Client.CallAsync("ModifyTargetGroup", new ApiRequestParameters().Add("TargetGroupArn", arn).Struct("Matcher", m => m.Add("HttpCode", "600"))))
            .AssertError("ValidationError");
        (await Client.CallAsync("ModifyTargetGroup", new ApiRequestParameters().Add("TargetGroupArn", arn + "0").Add("HealthCheckPath", "/x")))
            .AssertError("TargetGroupNotFound");
    }

    [Fact]
    public async Task Attributes_list_every_key_of_the_group_kind_and_modify_returns_the_full_list()
    {
        var alb = await CreateAsync(Client, UniqueName.Next("tg"));
        var described = LoadBalancerCalls.Attributes((await Client.CallAsync("DescribeTargetGroupAttributes",
            new ApiRequestParameters().Add("TargetGroupArn", alb))).AssertSuccess("DescribeTargetGroupAttributes"));
        Assert.Equal("300", described["deregistration_delay.timeout_seconds"]);
        Assert.Equal("lb_cookie", described["stickiness.type"]);
        Assert.Equal("86400", described["stickiness.lb_cookie.duration_seconds"]);
        Assert.Equal("round_robin", described["load_balancing.algorithm.type"]);
        Assert.Equal("0", described["slow_start.duration_seconds"]);
        Assert.Equal("use_load_balancer_configuration", described["load_balancing.cross_zone.enabled"]);
        Assert.False(described.ContainsKey("proxy_protocol_v2.enabled"));

        var modified = LoadBalancerCalls.Attributes((await Client.CallAsync("ModifyTargetGroupAttributes", new ApiRequestParameters().Add("TargetGroupArn", alb)
            .AttributeList(("stickiness.enabled", "true"), ("deregistration_delay.timeout_seconds", "10")))).AssertSuccess("ModifyTargetGroupAttributes"));
        Assert.Equal(described.Count, modified.Count);
        Assert.Equal(("true", "10"), (modified["stickiness.enabled"], modified["deregistration_delay.timeout_seconds"]));

        (await Client.CallAsync("ModifyTargetGroupAttributes", new ApiRequestParameters().Add("TargetGroupArn", alb).AttributeList(("no.such.key", "1"))))
            .AssertError("InvalidConfigurationRequest");
        (await Client.CallAsync("ModifyTargetGroupAttributes", new ApiRequestParameters().Add("TargetGroupArn", alb).AttributeList(("deregistration_delay.timeout_seconds", "4000"))))
            .AssertError("InvalidConfigurationRequest");
        (await Client.CallAsync("DescribeTargetGroupAttributes", new ApiRequestParameters().Add("TargetGroupArn", alb + "0"))).AssertError("TargetGroupNotFound");

        var tcp = LoadBalancerCalls.Attributes((await Client.CallAsync("DescribeTargetGroupAttributes",
            new ApiRequestParameters().Add("TargetGroupArn", await CreateAsync(Client, UniqueName.Next("tg"), "TCP", 80, "ip")))).AssertSuccess());
        Assert.Equal(("false", "false", "source_ip", "true"), (tcp["preserve_client_ip.enabled"], tcp["proxy_protocol_v2.enabled"], tcp["stickiness.type"],
            tcp["target_health_state.unhealthy.connection_termination.enabled"]));
        Assert.False(tcp.ContainsKey("slow_start.duration_seconds"));

        var udp = LoadBalancerCalls.Attributes((await Client.CallAsync("DescribeTargetGroupAttributes",
            new ApiRequestParameters().Add("TargetGroupArn", await CreateAsync(Client, UniqueName.Next("tg"), "UDP", 53)))).AssertSuccess());
        Assert.Equal(("true", "true"), (udp["preserve_client_ip.enabled"], udp["deregistration_delay.connection_termination.enabled"]));

        var geneve = LoadBalancerCalls.Attributes((await Client.CallAsync("DescribeTargetGroupAttributes",
            new ApiRequestParameters().Add("TargetGroupArn", await CreateAsync(Client, UniqueName.Next("tg"), "GENEVE", 6081)))).AssertSuccess());
        Assert.Equal(("no_rebalance", "no_rebalance", "source_ip_dest_ip_proto"), (geneve["target_failover.on_deregistration"], geneve["target_failover.on_unhealthy"], geneve["stickiness.type"]));

        var lambdaArn = await CreateAsync(Client, Group(UniqueName.Next("tg"), null, null, "lambda"));
        var lambda = LoadBalancerCalls.Attributes((await Client.CallAsync("DescribeTargetGroupAttributes", new ApiRequestParameters().Add("TargetGroupArn", lambdaArn))).AssertSuccess());
        Assert.Equal(new Dictionary<string, string> { ["lambda.multi_value_headers.enabled"] = "false" }, lambda);
    }

    [Fact]
    public async Task Target_groups_and_their_attributes_survive_a_restart()
    {
        await using var harness = await ApiHarness.StartAsync();
        var name = UniqueName.Next("tg");
        var arn = await CreateAsync(harness.Client, Group(name, "HTTPS", 8443, "ip").Add("HealthCheckPath", "/ready").Tags(("team", "web")));
        (await harness.Client.CallAsync("ModifyTargetGroupAttributes", new ApiRequestParameters().Add("TargetGroupArn", arn)
            .AttributeList(("slow_start.duration_seconds", "60")))).AssertSuccess();

        await harness.RestartAsync();

        var tg = Fields(Assert.Single((await harness.Client.CallAsync("DescribeTargetGroups", new ApiRequestParameters().List("Names", name))).AssertSuccess().Members("TargetGroups")));
        Assert.Equal((arn, "HTTPS", "8443", "ip", "/ready"), (tg["TargetGroupArn"], tg["Protocol"], tg["Port"], tg["TargetType"], tg["HealthCheckPath"]));
        var attributes = LoadBalancerCalls.Attributes((await harness.Client.CallAsync("DescribeTargetGroupAttributes", new ApiRequestParameters().Add("TargetGroupArn", arn))).AssertSuccess());
        Assert.Equal("60", attributes["slow_start.duration_seconds"]);
    }

    [Fact]
    public async Task Stickiness_with_cross_zone_off_is_refused_either_way_round()
    {
        var arn = await CreateAsync(Client, UniqueName.Next("tg"), "HTTP", 80, "ip");
        Task<ApiResponse> ModifyAsync(params (string, string)[] attributes) =>
            Client.CallAsync("ModifyTargetGroupAttributes", new ApiRequestParameters().Add("TargetGroupArn", arn).AttributeList(attributes));

        (await ModifyAsync(("load_balancing.cross_zone.enabled", "false"), ("stickiness.enabled", "true"))).AssertError("InvalidConfigurationRequest");
        (await ModifyAsync(("load_balancing.cross_zone.enabled", "false"))).AssertSuccess("ModifyTargetGroupAttributes");
        (await ModifyAsync(("stickiness.enabled", "true"))).AssertError("InvalidConfigurationRequest");

        var described = LoadBalancerCalls.Attributes((await Client.CallAsync("DescribeTargetGroupAttributes",
            new ApiRequestParameters().Add("TargetGroupArn", arn))).AssertSuccess());
        Assert.Equal(("false", "false"), (described["load_balancing.cross_zone.enabled"], described["stickiness.enabled"]));
    }

}
