using System.Text.RegularExpressions;
using Elbe.Api.Tests.Infrastructure;
using static Elbe.Api.Tests.LoadBalancers.LoadBalancerCalls;

namespace Elbe.Api.Tests.Listeners;

/// <summary>CreateListener, DescribeListeners, ModifyListener, DeleteListener, listener attributes and certificates over signed HTTP.</summary>
public sealed class ListenerApiTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>, IAsyncLifetime
{
    // Listeners may name only imported certificates: each test gets three of its own.
    private string CertA = "", CertB = "", CertC = "";

    public async Task InitializeAsync()
    {
        CertA = await server.Harness.ImportTestCertificateAsync("a.example.com");
        CertB = await server.Harness.ImportTestCertificateAsync("b.example.com");
        CertC = await server.Harness.ImportTestCertificateAsync("c.example.com");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private SignedApiClient Client => server.Client;

    private Task<string> AlbAsync() => CreateArnAsync(Client, UniqueName.Next("lalb"));

    private static Action<ApiRequestParameters> Https(string certificate, string? policy = null) => p =>
    {
        FixedResponse(p);
        p.StructList("Certificates", c => c.Add("CertificateArn", certificate));
        if (policy is not null) p.Add("SslPolicy", policy);
    };

    private async Task<string> ListenerArnAsync(string lbArn, string protocol, int port, Action<ApiRequestParameters>? more = null) =>
        (await CreateListenerAsync(Client, lbArn, protocol, port, more)).AssertSuccess("CreateListener").Value("ListenerArn")!;

    [Fact]
    public async Task An_http_listener_is_created_with_its_default_action_and_described_the_same()
    {
        var lbArn = await AlbAsync();
        var created = (await CreateListenerAsync(Client, lbArn, "HTTP", 8080)).AssertSuccess("CreateListener");
        var listener = Assert.Single(created.Members("Listeners"));

        var arn = ApiResponse.Child(listener, "ListenerArn")!;
        var lbPath = lbArn[(lbArn.IndexOf(":loadbalancer/", StringComparison.Ordinal) + ":loadbalancer/".Length)..];
        Assert.Matches($@"^arn:aws:elasticloadbalancing:us-east-1:\d{{12}}:listener/{Regex.Escape(lbPath)}/[0-9a-f]{{16}}$", arn);
        Assert.Equal(lbArn, ApiResponse.Child(listener, "LoadBalancerArn"));
        Assert.Equal("8080", ApiResponse.Child(listener, "Port"));
        Assert.Equal("HTTP", ApiResponse.Child(listener, "Protocol"));
        Assert.Null(ApiResponse.Child(listener, "SslPolicy"));
        Assert.Null(ApiResponse.Child(listener, "Certificates"));
        var action = Assert.Single(ApiResponse.Members(listener.Elements().Single(e => e.Name.LocalName == "DefaultActions")));
        Assert.Equal("fixed-response", ApiResponse.Child(action, "Type"));
        Assert.Equal("200", ApiResponse.Child(action, "StatusCode"));
        Assert.Equal("hello from elbe", ApiResponse.Child(action, "MessageBody"));

        var byLb = (await Client.CallAsync("DescribeListeners", new ApiRequestParameters().Add("LoadBalancerArn", lbArn))).AssertSuccess("DescribeListeners");
        Assert.Equal(listener.ToString(), Assert.Single(byLb.Members("Listeners")).ToString());
        var byArn = (await Client.CallAsync("DescribeListeners", new ApiRequestParameters().List("ListenerArns", arn))).AssertSuccess();
        Assert.Equal(listener.ToString(), Assert.Single(byArn.Members("Listeners")).ToString());
    }

    [Fact]
    public async Task An_https_listener_gets_the_default_policy_and_shows_only_its_default_certificate()
    {
        var lbArn = await AlbAsync();
        var created = (await CreateListenerAsync(Client, lbArn, "HTTPS", 8443, Https(CertA))).AssertSuccess();
        Assert.Equal("ELBSecurityPolicy-2016-08", created.Value("SslPolicy"));
        var certificate = Assert.Single(created.Members("Certificates"));
        Assert.Equal(CertA, ApiResponse.Child(certificate, "CertificateArn"));
        Assert.Null(ApiResponse.Child(certificate, "IsDefault"));

        var other = (await CreateListenerAsync(Client, lbArn, "HTTPS", 9443, Https(CertA, "ELBSecurityPolicy-TLS13-1-2-2021-06"))).AssertSuccess();
        Assert.Equal("ELBSecurityPolicy-TLS13-1-2-2021-06", other.Value("SslPolicy"));

        (await CreateListenerAsync(Client, lbArn, "HTTPS", 10443)).AssertError("ValidationError");
        (await CreateListenerAsync(Client, lbArn, "HTTPS", 10443, Https(CertA, "ELBSecurityPolicy-Nope"))).AssertError("SSLPolicyNotFound");
        (await CreateListenerAsync(Client, lbArn, "HTTPS", 10443, Https("arn:aws:acm:us-east-1:123456789012:notacert"))).AssertError("CertificateNotFound");
        (await CreateListenerAsync(Client, lbArn, "HTTP", 10080, Https(CertA))).AssertError("InvalidConfigurationRequest");
    }

    [Fact]
    public async Task A_repeated_create_returns_the_listener_and_a_different_one_on_the_port_is_a_duplicate()
    {
        var lbArn = await AlbAsync();
        var first = await ListenerArnAsync(lbArn, "HTTP", 8080);
        Assert.Equal(first, await ListenerArnAsync(lbArn, "HTTP", 8080));

        var duplicate = await CreateListenerAsync(Client, lbArn, "HTTP", 8080, p => FixedResponse(p, "something else"));
        duplicate.AssertError("DuplicateListener");
        var listeners = (await Client.CallAsync("DescribeListeners", new ApiRequestParameters().Add("LoadBalancerArn", lbArn))).AssertSuccess();
        Assert.Single(listeners.Members("Listeners"));
    }

    [Fact]
    public async Task Bad_listeners_are_refused_with_AWS_codes()
    {
        var lbArn = await AlbAsync();
        (await CreateListenerAsync(Client, lbArn, "TCP", 8080)).AssertError("ValidationError");
        (await CreateListenerAsync(Client, lbArn, "SMTP", 8080)).AssertError("ValidationError");
        (await CreateListenerAsync(Client, lbArn, "HTTP", 0)).AssertError("ValidationError");
        (await CreateListenerAsync(Client, lbArn, "HTTP", 65536)).AssertError("ValidationError");
        (await CreateListenerAsync(Client, lbArn, "HTTP", 8080, p => p.Add("Unused", "x"))).AssertError("ValidationError");
        (await CreateListenerAsync(Client, lbArn[..^16] + "0000000000000000", "HTTP", 8080)).AssertError("LoadBalancerNotFound");
        var missingGroup = lbArn[..lbArn.IndexOf(":loadbalancer/", StringComparison.Ordinal)] + ":targetgroup/nope/0000000000000000";
        (await CreateListenerAsync(Client, lbArn, "HTTP", 8080, p => Forward(p, missingGroup))).AssertError("TargetGroupNotFound");
        (await CreateListenerAsync(Client, lbArn, "HTTP", 8080, p => p.StructList("DefaultActions", a => a.Add("Type", "redirect")
            .Struct("RedirectConfig", r => r.Add("StatusCode", "HTTP_301"))))).AssertError("InvalidLoadBalancerAction");
    }

    [Fact]
    public async Task Network_listeners_take_layer_four_protocols_and_compatible_target_groups()
    {
        var nlb = await CreateArnAsync(Client, UniqueName.Next("lnlb"), "network");
        var tcpGroup = await CreateTargetGroupAsync(Client, UniqueName.Next("tcp"), "TCP", 80);
        var httpGroup = await CreateTargetGroupAsync(Client, UniqueName.Next("http"), "HTTP", 80);

        var tcp = (await CreateListenerAsync(Client, nlb, "TCP", 80, p => Forward(p, tcpGroup))).AssertSuccess();
        Assert.Equal("TCP", tcp.Value("Protocol"));
        Assert.Equal(tcpGroup, tcp.Value("TargetGroupArn"));

        var tls = (await CreateListenerAsync(Client, nlb, "TLS", 443, p =>
        {
            Forward(p, tcpGroup);
            p.StructList("Certificates", c => c.Add("CertificateArn", CertA)).List("AlpnPolicy", "HTTP2Preferred");
        })).AssertSuccess();
        Assert.Equal("ELBSecurityPolicy-2016-08", tls.Value("SslPolicy"));
        Assert.Equal(["HTTP2Preferred"], ApiResponse.Members(tls.Element("AlpnPolicy")).Select(m => m.Value));

        (await CreateListenerAsync(Client, nlb, "UDP", 53, p => Forward(p, httpGroup))).AssertError("IncompatibleProtocols");
        (await CreateListenerAsync(Client, nlb, "HTTP", 8080, p => Forward(p, tcpGroup))).AssertError("ValidationError");
        (await CreateListenerAsync(Client, nlb, "TCP", 81)).AssertError("InvalidLoadBalancerAction");
        (await CreateListenerAsync(Client, nlb, "TLS", 8443, p =>
        {
            Forward(p, tcpGroup);
            p.StructList("Certificates", c => c.Add("CertificateArn", CertA)).List("AlpnPolicy", "HTTP3");
        })).AssertError("ALPNPolicyNotFound");
    }

    [Fact]
    public async Task A_gateway_listener_has_no_port_or_protocol_and_there_can_be_only_one()
    {
        var gwlb = await CreateArnAsync(Client, UniqueName.Next("lgw"), "gateway");
        var group = await CreateTargetGroupAsync(Client, UniqueName.Next("gen"), "GENEVE", 6081);

        var created = (await CreateListenerAsync(Client, gwlb, null, null, p => Forward(p, group))).AssertSuccess();
        var listener = Assert.Single(created.Members("Listeners"));
        Assert.Contains(":listener/gwy/", ApiResponse.Child(listener, "ListenerArn"));
        Assert.Null(ApiResponse.Child(listener, "Port"));
        Assert.Null(ApiResponse.Child(listener, "Protocol"));

        var attributes = Attributes((await Client.CallAsync("DescribeListenerAttributes", new ApiRequestParameters()
            .Add("ListenerArn", ApiResponse.Child(listener, "ListenerArn")!))).AssertSuccess());
        Assert.Equal(new Dictionary<string, string> { ["tcp.idle_timeout.seconds"] = "350" }, attributes);

        var second = await CreateTargetGroupAsync(Client, UniqueName.Next("gen"), "GENEVE", 6081);
        (await CreateListenerAsync(Client, gwlb, null, null, p => Forward(p, second))).AssertError("TooManyListeners");
        (await CreateListenerAsync(Client, gwlb, "TCP", 80, p => Forward(p, group))).AssertError("ValidationError");
    }

    [Fact]
    public async Task Describe_listeners_pages_and_reports_what_is_missing()
    {
        var lbArn = await AlbAsync();
        var arns = new List<string>();
        for (var port = 8001; port <= 8003; port++) arns.Add(await ListenerArnAsync(lbArn, "HTTP", port));

        var first = (await Client.CallAsync("DescribeListeners", new ApiRequestParameters().Add("LoadBalancerArn", lbArn).Add("PageSize", 2))).AssertSuccess();
        Assert.Equal(2, first.Members("Listeners").Count);
        var second = (await Client.CallAsync("DescribeListeners", new ApiRequestParameters().Add("LoadBalancerArn", lbArn).Add("PageSize", 2)
            .Add("Marker", first.Value("NextMarker")!))).AssertSuccess();
        Assert.Single(second.Members("Listeners"));
        Assert.Null(second.Element("NextMarker"));
        Assert.Equal(arns.Order(), first.Values("ListenerArn").Concat(second.Values("ListenerArn")).Order());

        (await Client.CallAsync("DescribeListeners", new ApiRequestParameters().List("ListenerArns", arns[0], arns[0][..^16] + "0000000000000000"))).AssertError("ListenerNotFound");
        (await Client.CallAsync("DescribeListeners", new ApiRequestParameters().Add("LoadBalancerArn", lbArn[..^16] + "0000000000000000"))).AssertError("LoadBalancerNotFound");
        (await Client.CallAsync("DescribeListeners")).AssertError("ValidationError");
    }

    [Fact]
    public async Task Modify_changes_only_what_is_sent_and_follows_the_protocol_rules()
    {
        var lbArn = await AlbAsync();
        var arn = await ListenerArnAsync(lbArn, "HTTPS", 8443, Https(CertA));
        await ListenerArnAsync(lbArn, "HTTP", 8080);

        var moved = (await Client.CallAsync("ModifyListener", new ApiRequestParameters().Add("ListenerArn", arn).Add("Port", 9443))).AssertSuccess("ModifyListener");
        Assert.Equal("9443", moved.Value("Port"));
        Assert.Equal("HTTPS", moved.Value("Protocol"));
        Assert.Equal(CertA, moved.Value("CertificateArn"));
        Assert.Equal("hello from elbe", moved.Value("MessageBody"));

        (await Client.CallAsync("ModifyListener", new ApiRequestParameters().Add("ListenerArn", arn).Add("Port", 8080))).AssertError("DuplicateListener");

        var actions = (await Client.CallAsync("ModifyListener", FixedResponse(new ApiRequestParameters().Add("ListenerArn", arn), "replaced"))).AssertSuccess();
        Assert.Equal("replaced", actions.Value("MessageBody"));
        Assert.Equal("9443", actions.Value("Port"));

        var plain = (await Client.CallAsync("ModifyListener", new ApiRequestParameters().Add("ListenerArn", arn).Add("Protocol", "HTTP"))).AssertSuccess();
        Assert.Null(plain.Element("Certificates"));
        Assert.Null(plain.Element("SslPolicy"));

        (await Client.CallAsync("ModifyListener", new ApiRequestParameters().Add("ListenerArn", arn).Add("Protocol", "HTTPS"))).AssertError("ValidationError");
        var secure = (await Client.CallAsync("ModifyListener", new ApiRequestParameters().Add("ListenerArn", arn).Add("Protocol", "HTTPS")
            .StructList("Certificates", c => c.Add("CertificateArn", CertB)))).AssertSuccess();
        Assert.Equal(CertB, secure.Value("CertificateArn"));
        Assert.Equal("ELBSecurityPolicy-2016-08", secure.Value("SslPolicy"));

        (await Client.CallAsync("ModifyListener", new ApiRequestParameters().Add("ListenerArn", arn).Add("SslPolicy", "nope"))).AssertError("SSLPolicyNotFound");
        (await Client.CallAsync("ModifyListener", new ApiRequestParameters().Add("ListenerArn", arn[..^16] + "0000000000000000").Add("Port", 1))).AssertError("ListenerNotFound");
    }

    [Fact]
    public async Task Delete_removes_the_listener_and_a_second_delete_is_not_found()
    {
        var lbArn = await AlbAsync();
        var arn = await ListenerArnAsync(lbArn, "HTTP", 8080);

        (await Client.CallAsync("DeleteListener", new ApiRequestParameters().Add("ListenerArn", arn))).AssertSuccess("DeleteListener");
        Assert.Empty((await Client.CallAsync("DescribeListeners", new ApiRequestParameters().Add("LoadBalancerArn", lbArn))).AssertSuccess().Members("Listeners"));
        (await Client.CallAsync("DeleteListener", new ApiRequestParameters().Add("ListenerArn", arn))).AssertError("ListenerNotFound");
        // The port is free again.
        await ListenerArnAsync(lbArn, "HTTP", 8080);
    }

    [Fact]
    public async Task Listener_attributes_round_trip_and_bad_ones_are_refused()
    {
        var lbArn = await AlbAsync();
        var arn = await ListenerArnAsync(lbArn, "HTTP", 8080);

        var defaults = Attributes((await Client.CallAsync("DescribeListenerAttributes", new ApiRequestParameters().Add("ListenerArn", arn))).AssertSuccess("DescribeListenerAttributes"));
        Assert.Equal("true", defaults["routing.http.response.server.enabled"]);
        Assert.Equal("X-Amzn-Tls-Version", defaults["routing.http.request.x_amzn_tls_version.header_name"]);
        Assert.Equal(9, defaults.Count);

        var modified = Attributes((await Client.CallAsync("ModifyListenerAttributes", new ApiRequestParameters().Add("ListenerArn", arn).AttributeList(
            ("routing.http.response.server.enabled", "false"),
            ("routing.http.response.x_frame_options.header_value", "DENY")))).AssertSuccess("ModifyListenerAttributes"));
        Assert.Equal("false", modified["routing.http.response.server.enabled"]);
        Assert.Equal("DENY", modified["routing.http.response.x_frame_options.header_value"]);
        Assert.Equal(10, modified.Count);

        (await Client.CallAsync("ModifyListenerAttributes", new ApiRequestParameters().Add("ListenerArn", arn).AttributeList(("tcp.idle_timeout.seconds", "100"))))
            .AssertError("InvalidConfigurationRequest");
        (await Client.CallAsync("ModifyListenerAttributes", new ApiRequestParameters().Add("ListenerArn", arn).AttributeList(("routing.http.response.server.enabled", "maybe"))))
            .AssertError("InvalidConfigurationRequest");

        var nlb = await CreateArnAsync(Client, UniqueName.Next("lattr"), "network");
        var group = await CreateTargetGroupAsync(Client, UniqueName.Next("tcp"), "TCP", 80);
        var tcp = (await CreateListenerAsync(Client, nlb, "TCP", 80, p => Forward(p, group))).AssertSuccess().Value("ListenerArn")!;
        var idle = Attributes((await Client.CallAsync("ModifyListenerAttributes", new ApiRequestParameters().Add("ListenerArn", tcp)
            .AttributeList(("tcp.idle_timeout.seconds", "600")))).AssertSuccess());
        Assert.Equal(new Dictionary<string, string> { ["tcp.idle_timeout.seconds"] = "600" }, idle);
        (await Client.CallAsync("ModifyListenerAttributes", new ApiRequestParameters().Add("ListenerArn", tcp)
            .AttributeList(("tcp.idle_timeout.seconds", "59")))).AssertError("InvalidConfigurationRequest");
    }

    [Fact]
    public async Task Additional_certificates_are_added_idempotently_listed_and_removed_but_the_default_stays()
    {
        var lbArn = await AlbAsync();
        var arn = await ListenerArnAsync(lbArn, "HTTPS", 8443, Https(CertA));

        var added = (await Client.CallAsync("AddListenerCertificates", new ApiRequestParameters().Add("ListenerArn", arn)
            .StructList("Certificates", c => c.Add("CertificateArn", CertB), c => c.Add("CertificateArn", CertC)))).AssertSuccess("AddListenerCertificates");
        Assert.Equal([CertB, CertC], added.Values("CertificateArn"));
        (await Client.CallAsync("AddListenerCertificates", new ApiRequestParameters().Add("ListenerArn", arn)
            .StructList("Certificates", c => c.Add("CertificateArn", CertB)))).AssertSuccess();

        var listed = (await Client.CallAsync("DescribeListenerCertificates", new ApiRequestParameters().Add("ListenerArn", arn))).AssertSuccess("DescribeListenerCertificates");
        Assert.Equal([(CertA, "true"), (CertB, "false"), (CertC, "false")],
            listed.Members("Certificates").Select(m => (ApiResponse.Child(m, "CertificateArn"), ApiResponse.Child(m, "IsDefault"))));
        var page = (await Client.CallAsync("DescribeListenerCertificates", new ApiRequestParameters().Add("ListenerArn", arn).Add("PageSize", 2))).AssertSuccess();
        Assert.Equal(2, page.Members("Certificates").Count);
        Assert.NotNull(page.Value("NextMarker"));

        // DescribeListeners still shows only the default certificate.
        var described = (await Client.CallAsync("DescribeListeners", new ApiRequestParameters().List("ListenerArns", arn))).AssertSuccess();
        Assert.Equal([CertA], described.Values("CertificateArn"));

        (await Client.CallAsync("RemoveListenerCertificates", new ApiRequestParameters().Add("ListenerArn", arn)
            .StructList("Certificates", c => c.Add("CertificateArn", CertA)))).AssertError("OperationNotPermitted");
        (await Client.CallAsync("RemoveListenerCertificates", new ApiRequestParameters().Add("ListenerArn", arn)
            .StructList("Certificates", c => c.Add("CertificateArn", CertB)))).AssertSuccess("RemoveListenerCertificates");
        var after = (await Client.CallAsync("DescribeListenerCertificates", new ApiRequestParameters().Add("ListenerArn", arn))).AssertSuccess();
        Assert.Equal([CertA, CertC], after.Values("CertificateArn"));

        var http = await ListenerArnAsync(lbArn, "HTTP", 8080);
        (await Client.CallAsync("AddListenerCertificates", new ApiRequestParameters().Add("ListenerArn", http)
            .StructList("Certificates", c => c.Add("CertificateArn", CertB)))).AssertError("InvalidConfigurationRequest");
        (await Client.CallAsync("DescribeListenerCertificates", new ApiRequestParameters().Add("ListenerArn", arn[..^16] + "0000000000000000"))).AssertError("ListenerNotFound");
    }

    [Fact]
    public async Task More_than_twenty_five_additional_certificates_are_too_many()
    {
        var arn = await ListenerArnAsync(await AlbAsync(), "HTTPS", 8443, Https(CertA));
        var many = new List<string>();
        for (var i = 0; i < 26; i++) many.Add(await server.Harness.ImportTestCertificateAsync($"many{i}.example.com"));

        (await Client.CallAsync("AddListenerCertificates", new ApiRequestParameters().Add("ListenerArn", arn)
            .StructList("Certificates", many.Select(c => (Action<ApiRequestParameters>)(x => x.Add("CertificateArn", c)))))).AssertError("TooManyCertificates");
        (await Client.CallAsync("AddListenerCertificates", new ApiRequestParameters().Add("ListenerArn", arn)
            .StructList("Certificates", many.Take(25).Select(c => (Action<ApiRequestParameters>)(x => x.Add("CertificateArn", c)))))).AssertSuccess();
    }

    [Fact]
    public async Task Listeners_attributes_and_certificates_survive_a_restart()
    {
        await using var harness = await ApiHarness.StartAsync();
        var lbArn = await CreateArnAsync(harness.Client, "restart-listeners");
        CertA = await harness.ImportTestCertificateAsync("a.example.com");
        CertB = await harness.ImportTestCertificateAsync("b.example.com");
        var https = (await CreateListenerAsync(harness.Client, lbArn, "HTTPS", 8443, Https(CertA))).AssertSuccess().Value("ListenerArn")!;
        (await CreateListenerAsync(harness.Client, lbArn, "HTTP", 8080, p => FixedResponse(p).Tags(("tier", "web")))).AssertSuccess();
        (await harness.Client.CallAsync("AddListenerCertificates", new ApiRequestParameters().Add("ListenerArn", https)
            .StructList("Certificates", c => c.Add("CertificateArn", CertB)))).AssertSuccess();
        (await harness.Client.CallAsync("ModifyListenerAttributes", new ApiRequestParameters().Add("ListenerArn", https)
            .AttributeList(("routing.http.response.server.enabled", "false")))).AssertSuccess();
        var before = (await harness.Client.CallAsync("DescribeListeners", new ApiRequestParameters().Add("LoadBalancerArn", lbArn))).AssertSuccess();

        await harness.RestartAsync();

        var after = (await harness.Client.CallAsync("DescribeListeners", new ApiRequestParameters().Add("LoadBalancerArn", lbArn))).AssertSuccess();
        Assert.Equal(before.Element("Listeners")!.ToString(), after.Element("Listeners")!.ToString());
        var certificates = (await harness.Client.CallAsync("DescribeListenerCertificates", new ApiRequestParameters().Add("ListenerArn", https))).AssertSuccess();
        Assert.Equal([CertA, CertB], certificates.Values("CertificateArn"));
        var attributes = Attributes((await harness.Client.CallAsync("DescribeListenerAttributes", new ApiRequestParameters().Add("ListenerArn", https))).AssertSuccess());
        Assert.Equal("false", attributes["routing.http.response.server.enabled"]);
    }

    [Fact]
    public async Task An_http_listener_on_an_application_load_balancer_serves_its_default_action()
    {
        var lbArn = await AlbAsync();
        var described = (await Client.CallAsync("DescribeLoadBalancers", new ApiRequestParameters().List("LoadBalancerArns", lbArn))).AssertSuccess();
        var address = described.Value("IpAddress")!;
        await ListenerArnAsync(lbArn, "HTTP", 8080, p => FixedResponse(p, "served by the api"));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        string? body = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (body is null && DateTime.UtcNow < deadline)
        {
            try { body = await http.GetStringAsync($"http://{address}:8080/"); }
            catch (HttpRequestException) { await Task.Delay(100); }
            catch (TaskCanceledException) { }
        }
        Assert.Equal("served by the api", body);
    }
}
