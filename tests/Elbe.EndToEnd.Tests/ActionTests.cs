using System.Net;
using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests;

/// <summary>fixed-response, redirect and weighted forward, each answered over a real listener.</summary>
public sealed class ActionTests
{
    [Fact]
    public async Task Fixed_response_answers_the_configured_status_content_type_and_body()
    {
        await using var backend = await BackendServer.StartAsync("unused");
        var template = new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Default", [backend.Port])
            .Listener(CfnActions.FixedResponse(418, """{"teapot":true}""", "application/json"));
        await using var elbe = await ElbeHarness.StartAsync(template.ToString());

        using var response = await elbe.GetAsync("/any/path?x=1");

        Assert.Equal((HttpStatusCode)418, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"teapot":true}""", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, backend.TotalRequests);
    }

    [Theory]
    [InlineData("/old/a/b?x=1", "shop.example.com", HttpStatusCode.MovedPermanently, "http://shop.example.com:8080/new/old/a/b?x=1&from=old")]
    [InlineData("/secure/area", "shop.example.com", HttpStatusCode.Found, "https://shop.example.com:443/secure/area")]
    [InlineData("/secure/area?next=%2Fhome", "shop.example.com", HttpStatusCode.Found, "https://shop.example.com:443/secure/area?next=%2Fhome")]
    [InlineData("/p?q=1", "bare.example.com", HttpStatusCode.MovedPermanently, "http://www.bare.example.com:8080/p?q=1")]
    [InlineData("/describe/me?k=v", "shop.example.com", HttpStatusCode.Found, "http://moved.example.com:9090/shop.example.com/8080/describe/me?was=k=v&proto=http")]
    public async Task Redirect_expands_placeholders_into_the_exact_location(string pathAndQuery, string host, HttpStatusCode status, string location)
    {
        var template = new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Default", [])
            .Listener(CfnActions.FixedResponse(404, "no redirect matched"))
            .Rule("KeepQueryAddFlag", 10, """
                - Field: path-pattern
                  PathPatternConfig:
                    Values: ['/old/*']
                """, """
                - Type: redirect
                  RedirectConfig:
                    Path: '/new/#{path}'
                    Query: '#{query}&from=old'
                    StatusCode: HTTP_301
                """)
            .Rule("ToHttps", 20, """
                - Field: path-pattern
                  PathPatternConfig:
                    Values: ['/secure/*']
                """, """
                - Type: redirect
                  RedirectConfig:
                    Protocol: HTTPS
                    Port: '443'
                    StatusCode: HTTP_302
                """)
            .Rule("AddWww", 30, """
                - Field: host-header
                  HostHeaderConfig:
                    Values: [bare.example.com]
                """, """
                - Type: redirect
                  RedirectConfig:
                    Host: 'www.#{host}'
                    Path: '/#{path}'
                    Port: '#{port}'
                    Query: '#{query}'
                    StatusCode: HTTP_301
                """)
            .Rule("EveryPlaceholder", 40, """
                - Field: path-pattern
                  PathPatternConfig:
                    Values: ['/describe/*']
                """, """
                - Type: redirect
                  RedirectConfig:
                    Protocol: '#{protocol}'
                    Host: moved.example.com
                    Port: '9090'
                    Path: '/#{host}/#{port}/#{path}'
                    Query: 'was=#{query}&proto=#{protocol}'
                    StatusCode: HTTP_302
                """);
        await using var elbe = await ElbeHarness.StartAsync(template.ToString());

        using var request = new HttpRequestMessage(HttpMethod.Get, elbe.Url(pathAndQuery));
        request.Headers.Host = host;
        using var response = await elbe.Client.SendAsync(request);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Weighted_forward_splits_traffic_by_weight()
    {
        await using var heavy = await BackendServer.StartAsync("heavy");
        await using var light = await BackendServer.StartAsync("light");
        var template = new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Heavy", [heavy.Port])
            .TargetGroup("Light", [light.Port])
            .Listener(CfnActions.WeightedForward([("Heavy", 3), ("Light", 1)]));
        await using var elbe = await ElbeHarness.StartAsync(template.ToString());
        await elbe.WaitForHealthyAsync("Heavy", heavy.Port);
        await elbe.WaitForHealthyAsync("Light", light.Port);

        var backends = await RequestBurst.BackendsAsync(elbe.Client, elbe.Url("/"), count: 2000, concurrency: 8);

        var heavyShare = backends.Count("heavy") / 2000.0;
        Assert.True(backends.Count("heavy") + backends.Count("light") == 2000, $"Some requests were not forwarded: {backends.Summary()}");
        Assert.True(heavyShare is >= 0.70 and <= 0.80, $"Weights 3:1 should give the heavy group 75 % ± 5 %, got {heavyShare:P1} ({backends.Summary()}).");
    }

    [Fact]
    public async Task A_target_group_with_weight_zero_is_never_chosen()
    {
        await using var used = await BackendServer.StartAsync("used");
        await using var unused = await BackendServer.StartAsync("zero");
        var template = new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Used", [used.Port])
            .TargetGroup("Zero", [unused.Port])
            .Listener(CfnActions.WeightedForward([("Used", 1), ("Zero", 0)]));
        await using var elbe = await ElbeHarness.StartAsync(template.ToString());
        await elbe.WaitForHealthyAsync("Used", used.Port);

        var backends = await RequestBurst.BackendsAsync(elbe.Client, elbe.Url("/"), count: 50, concurrency: 2);

        Assert.True(backends.Count("used") == 50, $"Weight 0 must never be chosen: {backends.Summary()}");
        Assert.Equal(0, unused.TotalRequests);
    }
}
