using System.Net;
using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests;

/// <summary>lb_cookie, app_cookie and target-group stickiness, with cookies carried by hand like a browser would.</summary>
public sealed class StickinessTests
{
    private static readonly Dictionary<string, string> LbCookieStickiness = new()
    {
        ["stickiness.enabled"] = "true",
        ["stickiness.type"] = "lb_cookie",
        ["deregistration_delay.timeout_seconds"] = "1",
    };

    [Fact]
    public async Task Lb_cookie_pins_a_client_to_the_target_that_first_served_it()
    {
        await using var a = await BackendServer.StartAsync("a");
        await using var b = await BackendServer.StartAsync("b");
        await using var elbe = await ElbeHarness.StartAsync(LbCookieTemplate(a.Port, b.Port));
        await elbe.WaitForHealthyAsync("Pool", a.Port, b.Port);

        var (first, cookies) = await SendWithCookiesAsync(elbe, null);
        var awsalb = Assert.Single(cookies, c => c.StartsWith("AWSALB=", StringComparison.Ordinal));
        var cors = Assert.Single(cookies, c => c.StartsWith("AWSALBCORS=", StringComparison.Ordinal));
        Assert.Equal(CookieValue(awsalb), CookieValue(cors));
        Assert.Contains("SameSite=None", cors, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Secure", cors, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Expires=", awsalb, StringComparison.OrdinalIgnoreCase);

        var cookieHeader = "AWSALB=" + CookieValue(awsalb);
        for (var i = 0; i < 10; i++)
        {
            var (backend, _) = await SendWithCookiesAsync(elbe, cookieHeader);
            Assert.Equal(first, backend);
        }

        // Without the cookie round robin visits both targets, so the pinning above was the cookie's doing.
        var unpinned = await RequestBurst.BackendsAsync(elbe.Client, elbe.Url("/"), count: 10, concurrency: 1);
        Assert.True(unpinned.Count("a") > 0 && unpinned.Count("b") > 0, $"Without a cookie both targets should serve: {unpinned.Summary()}");
    }

    [Fact]
    public async Task Lb_cookie_moves_to_another_target_when_its_target_is_deregistered()
    {
        await using var a = await BackendServer.StartAsync("a");
        await using var b = await BackendServer.StartAsync("b");
        await using var elbe = await ElbeHarness.StartAsync(LbCookieTemplate(a.Port, b.Port));
        await elbe.WaitForHealthyAsync("Pool", a.Port, b.Port);
        var (first, cookies) = await SendWithCookiesAsync(elbe, null);
        var oldValue = CookieValue(cookies.Single(c => c.StartsWith("AWSALB=", StringComparison.Ordinal)));
        var (kept, other) = first == "a" ? (b, a) : (a, b);

        await elbe.ReloadAsync(LbCookieTemplate(kept.Port));

        var (backend, rewritten) = await SendWithCookiesAsync(elbe, "AWSALB=" + oldValue);
        Assert.Equal(kept.Name, backend);
        var newCookie = Assert.Single(rewritten, c => c.StartsWith("AWSALB=", StringComparison.Ordinal));
        Assert.NotEqual(oldValue, CookieValue(newCookie));
        var (again, _) = await SendWithCookiesAsync(elbe, "AWSALB=" + CookieValue(newCookie));
        Assert.Equal(kept.Name, again);
        Assert.NotEqual(other.Name, again);
    }

    [Fact]
    public async Task Lb_cookie_moves_to_another_target_when_its_target_turns_unhealthy()
    {
        await using var a = await BackendServer.StartAsync("a");
        await using var b = await BackendServer.StartAsync("b");
        await using var elbe = await ElbeHarness.StartAsync(LbCookieTemplate(a.Port, b.Port));
        await elbe.WaitForHealthyAsync("Pool", a.Port, b.Port);
        var (first, cookies) = await SendWithCookiesAsync(elbe, null);
        var oldValue = CookieValue(cookies.Single(c => c.StartsWith("AWSALB=", StringComparison.Ordinal)));
        var (sick, well) = first == "a" ? (a, b) : (b, a);

        sick.SetHealthy(false);
        await elbe.WaitForTargetStateAsync("Pool", sick.Port, "unhealthy");

        var (backend, rewritten) = await SendWithCookiesAsync(elbe, "AWSALB=" + oldValue);
        Assert.Equal(well.Name, backend);
        var newCookie = Assert.Single(rewritten, c => c.StartsWith("AWSALB=", StringComparison.Ordinal));
        Assert.NotEqual(oldValue, CookieValue(newCookie));
    }

    [Fact]
    public async Task App_cookie_adds_awsalbapp_and_pins_requests_that_carry_both_cookies()
    {
        await using var a = await BackendServer.StartAsync("a");
        await using var b = await BackendServer.StartAsync("b");
        var template = new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Pool", [a.Port, b.Port], new Dictionary<string, string>
            {
                ["stickiness.enabled"] = "true",
                ["stickiness.type"] = "app_cookie",
                ["stickiness.app_cookie.cookie_name"] = "APPSESSION",
            })
            .Listener(CfnActions.Forward("Pool"));
        await using var elbe = await ElbeHarness.StartAsync(template.ToString());
        await elbe.WaitForHealthyAsync("Pool", a.Port, b.Port);

        var (first, cookies) = await SendWithCookiesAsync(elbe, null, "/setcookie?name=APPSESSION");
        var app = Assert.Single(cookies, c => c.StartsWith("APPSESSION=", StringComparison.Ordinal));
        Assert.StartsWith($"APPSESSION={first}-", app, StringComparison.Ordinal);
        var lb = Assert.Single(cookies, c => c.StartsWith("AWSALBAPP-0=", StringComparison.Ordinal));
        Assert.DoesNotContain(cookies, c => c.StartsWith("AWSALB=", StringComparison.Ordinal));

        var cookieHeader = $"APPSESSION={CookieValue(app)}; AWSALBAPP-0={CookieValue(lb)}";
        for (var i = 0; i < 10; i++)
        {
            var (backend, _) = await SendWithCookiesAsync(elbe, cookieHeader);
            Assert.Equal(first, backend);
        }
        var unpinned = await RequestBurst.BackendsAsync(elbe.Client, elbe.Url("/"), count: 10, concurrency: 1);
        Assert.True(unpinned.Count("a") > 0 && unpinned.Count("b") > 0, $"Without cookies both targets should serve: {unpinned.Summary()}");
    }

    [Fact]
    public async Task Target_group_stickiness_pins_a_weighted_forward_to_one_group()
    {
        await using var blue = await BackendServer.StartAsync("blue");
        await using var green = await BackendServer.StartAsync("green");
        var template = new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Blue", [blue.Port])
            .TargetGroup("Green", [green.Port])
            .Listener(CfnActions.WeightedForward([("Blue", 1), ("Green", 1)], stickinessSeconds: 300));
        await using var elbe = await ElbeHarness.StartAsync(template.ToString());
        await elbe.WaitForHealthyAsync("Blue", blue.Port);
        await elbe.WaitForHealthyAsync("Green", green.Port);

        var (first, cookies) = await SendWithCookiesAsync(elbe, null);
        var tg = Assert.Single(cookies, c => c.StartsWith("AWSALBTG=", StringComparison.Ordinal));
        var tgCors = Assert.Single(cookies, c => c.StartsWith("AWSALBTGCORS=", StringComparison.Ordinal));
        Assert.Equal(CookieValue(tg), CookieValue(tgCors));
        Assert.Contains("SameSite=None", tgCors, StringComparison.OrdinalIgnoreCase);

        for (var i = 0; i < 20; i++)
        {
            var (backend, _) = await SendWithCookiesAsync(elbe, "AWSALBTG=" + CookieValue(tg));
            Assert.Equal(first, backend);
        }
        // 40 fair choices all landing on one group has probability 2^-39: both groups must show up without the cookie.
        var unpinned = await RequestBurst.BackendsAsync(elbe.Client, elbe.Url("/"), count: 40, concurrency: 2);
        Assert.True(unpinned.Count("blue") > 0 && unpinned.Count("green") > 0, $"Without the cookie both groups should serve: {unpinned.Summary()}");
    }

    private static string LbCookieTemplate(params int[] ports) => new CfnTemplate()
        .LoadBalancer()
        .TargetGroup("Pool", ports, LbCookieStickiness)
        .Listener(CfnActions.Forward("Pool"))
        .ToString();

    private static async Task<(string Backend, IReadOnlyList<string> SetCookies)> SendWithCookiesAsync(ElbeHarness elbe, string? cookieHeader, string path = "/")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, elbe.Url(path));
        if (cookieHeader is not null)
            request.Headers.Add("Cookie", cookieHeader);
        using var response = await elbe.Client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}");
        var setCookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        return (response.Headers.GetValues("X-Backend").Single(), setCookies);
    }

    private static string CookieValue(string setCookie)
    {
        var pair = setCookie.Split(';')[0];
        return pair[(pair.IndexOf('=') + 1)..];
    }
}
