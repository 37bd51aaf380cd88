using Elbe.EndToEnd.Tests.Infrastructure;
using Elbe.Tests.Certificates;

namespace Elbe.EndToEnd.Tests;

/// <summary>HTTP/2 to clients over TLS (ALPN h2), converted to HTTP/1.1 toward the targets; off with routing.http2.enabled=false.</summary>
public sealed class Http2ClientTests
{
    [Fact]
    public async Task Curl_negotiates_http2_and_the_target_gets_http11_with_the_authority_as_host()
    {
        await using var setup = await StartAsync(http2: null);

        var result = await setup.CurlAsync("www.example.com", "/echo", "--http2", "-w", "\n%{http_version}");

        Assert.True(result.ExitCode == 0, result.Output);
        var lines = result.StandardOutput.TrimEnd().Split('\n');
        Assert.Equal("2", lines[^1]);
        var echoed = System.Text.Json.JsonSerializer.Deserialize<EchoedRequest>(string.Join('\n', lines[..^1]))!;
        Assert.Equal(("www.example.com:8443", "https"), (echoed.Header("Host"), echoed.Header("X-Forwarded-Proto")));
    }

    [Fact]
    public async Task Http2_requests_are_routed_by_host_and_path_rules()
    {
        await using var setup = await StartAsync(http2: null, withRule: true);

        var api = await setup.CurlAsync("api.example.com", "/v1/items", "--http2", "-w", "\n%{http_version} %{http_code}");
        var other = await setup.CurlAsync("www.example.com", "/v1/items", "--http2", "-o", "/dev/null", "-w", "%{http_version} %{http_code}");

        Assert.EndsWith("\n2 200", api.StandardOutput);
        Assert.StartsWith("api rule", api.StandardOutput);
        Assert.Equal("2 404", other.StandardOutput.Trim());
    }

    [Fact]
    public async Task Http2_disabled_by_attribute_leaves_clients_on_http11()
    {
        await using var setup = await StartAsync(http2: "false");

        var result = await setup.CurlAsync("www.example.com", "/echo", "--http2", "-o", "/dev/null", "-w", "%{http_version}");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal("1.1", result.StandardOutput.Trim());
    }

    [Fact]
    public async Task Turning_http2_off_on_a_live_load_balancer_applies_to_new_connections()
    {
        await using var setup = await StartAsync(http2: null);
        var arn = setup.Elbe.Server.Configuration.Listeners.Single(l => l.Port == HttpsSetup.Port).CertificateArns[0];
        var before = await setup.CurlAsync("www.example.com", "/echo", "--http2", "-o", "/dev/null", "-w", "%{http_version}");

        await setup.Elbe.ReloadAsync(new CfnTemplate()
            .LoadBalancer(attributes: new Dictionary<string, string> { ["routing.http2.enabled"] = "false" })
            .TargetGroup(HttpsSetup.TargetGroupName, [setup.Backend.Port])
            .HttpsListener(CfnActions.Forward(HttpsSetup.TargetGroupName), arn)
            .ToString());
        var after = await setup.CurlAsync("www.example.com", "/echo", "--http2", "-o", "/dev/null", "-w", "%{http_version}");

        Assert.Equal(("2", "1.1"), (before.StandardOutput.Trim(), after.StandardOutput.Trim()));
    }

    [Fact]
    public async Task An_http2_header_over_8k_ends_the_connection_and_a_smaller_one_is_forwarded()
    {
        await using var setup = await StartAsync(http2: null);
        var random = new Random(4);
        string Noise(int length) => string.Concat(Enumerable.Range(0, length).Select(_ => (char)random.Next('!', '~')));

        using var client = HttpsSetup.InsecureClient();
        var small = await setup.EchoOverHttpsAsync(client, r =>
        {
            r.Version = System.Net.HttpVersion.Version20;
            r.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
            r.Headers.TryAddWithoutValidation("X-Big", Noise(6000));
        });
        using var large = new HttpRequestMessage(HttpMethod.Get, setup.HttpsUrl()) { Version = System.Net.HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        large.Headers.TryAddWithoutValidation("X-Big", Noise(12000));

        Assert.Equal(6000, small.Header("X-Big")?.Length);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(large));
    }

    [Fact]
    public async Task Dotnet_http2_client_reaches_the_target()
    {
        await using var setup = await StartAsync(http2: null);
        using var client = HttpsSetup.InsecureClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, setup.HttpsUrl()) { Version = System.Net.HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await client.SendAsync(request);

        Assert.Equal((System.Net.HttpVersion.Version20, System.Net.HttpStatusCode.OK), (response.Version, response.StatusCode));
    }

    [Fact]
    public async Task An_http2_connection_is_closed_with_goaway_after_ten_thousand_requests()
    {
        await using var setup = await StartAsync(http2: null, withRule: true);
        var handshakes = 0;
        using var client = HttpsSetup.InsecureClient(ssl => ssl.RemoteCertificateValidationCallback = (_, _, _, _) =>
        {
            Interlocked.Increment(ref handshakes);
            return true;
        });
        var url = new Uri($"https://{setup.Node}:{HttpsSetup.Port}/elsewhere");
        var failures = 0;
        var next = 0;
        const int total = Elbe.DataPlane.Listeners.ListenerRequestHandler.MaxHttp2RequestsPerConnection + 100;

        // 16 concurrent streams on the one connection the client keeps per server.
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= total)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url) { Version = System.Net.HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
                using var response = await client.SendAsync(request);
                if (response.StatusCode != System.Net.HttpStatusCode.NotFound) Interlocked.Increment(ref failures);
            }
        }));

        Assert.Equal(0, failures);
        Assert.True(handshakes >= 2, $"{total} requests all went over {handshakes} connection(s).");
    }

    private static async Task<HttpsSetup> StartAsync(string? http2, bool withRule = false)
    {
        var setup = await HttpsSetup.StartAsync(http2 is null ? null : new Dictionary<string, string> { ["routing.http2.enabled"] = http2 });
        try
        {
            var arn = await setup.ImportAsync(TestCertificates.Server("www.example.com", ["www.example.com", "api.example.com"]));
            var template = setup.Template().HttpsListener(
                withRule ? CfnActions.FixedResponse(404, "no rule") : CfnActions.Forward(HttpsSetup.TargetGroupName), arn);
            if (withRule)
                template.Rule("ApiRule", 10,
                    """
                    - Field: host-header
                      HostHeaderConfig:
                        Values: [api.example.com]
                    - Field: path-pattern
                      PathPatternConfig:
                        Values: [/v1/*]
                    """,
                    CfnActions.FixedResponse(200, "api rule"), listener: CfnTemplate.DefaultHttpsListener);
            await setup.Elbe.ReloadAsync(template.ToString());
            return setup;
        }
        catch
        {
            await setup.DisposeAsync();
            throw;
        }
    }
}
