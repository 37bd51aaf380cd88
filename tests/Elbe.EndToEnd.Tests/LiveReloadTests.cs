using System.Net;
using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests;

/// <summary>Editing the template while Elbe serves: good edits apply without dropping requests, broken ones change nothing.</summary>
public sealed class LiveReloadTests
{
    [Fact]
    public async Task An_in_flight_request_survives_an_edit_that_reroutes_new_requests()
    {
        await using var a = await BackendServer.StartAsync("a");
        await using var b = await BackendServer.StartAsync("b");
        await using var elbe = await ElbeHarness.StartAsync(TwoGroups(a, b).ToString());
        await elbe.WaitForHealthyAsync("GroupA", a.Port);
        await elbe.WaitForHealthyAsync("GroupB", b.Port);
        Assert.Equal("a", await elbe.GetBackendAsync("/"));

        var slow = elbe.Client.GetAsync(elbe.Url("/slow?ms=5000"));
        await Eventually.TrueAsync(() => a.InFlight == 1, "the slow request never reached target a");

        await elbe.ReloadAsync(TwoGroups(a, b)
            .Rule("EverythingToB", 5, """
                - Field: path-pattern
                  PathPatternConfig:
                    Values: ['/*']
                """, CfnActions.Forward("GroupB"))
            .ToString());
        Assert.False(slow.IsCompleted, "The 5 s request finished before the reload applied, so this test proved nothing about in-flight requests.");

        var afterEdit = await RequestBurst.BackendsAsync(elbe.Client, elbe.Url("/"), count: 10, concurrency: 1);
        Assert.True(afterEdit.Count("b") == 10, $"New requests should follow the new rule: {afterEdit.Summary()}");

        using var response = await slow;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("backend=a", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_edit_that_adds_a_listener_opens_its_port()
    {
        await using var a = await BackendServer.StartAsync("a");
        await using var b = await BackendServer.StartAsync("b");
        await using var elbe = await ElbeHarness.StartAsync(TwoGroups(a, b).ToString());
        await elbe.WaitForHealthyAsync("GroupA", a.Port);

        await elbe.ReloadAsync(TwoGroups(a, b).Listener(CfnActions.FixedResponse(200, "second listener"), name: "Second", port: 8081).ToString());

        using var response = await elbe.Client.GetAsync(elbe.Url("/", port: 8081));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("second listener", await response.Content.ReadAsStringAsync());
        Assert.Equal("a", await elbe.GetBackendAsync("/"));
    }

    [Fact]
    public async Task Broken_yaml_is_refused_with_file_and_line_and_traffic_is_unchanged()
    {
        await using var a = await BackendServer.StartAsync("a");
        await using var b = await BackendServer.StartAsync("b");
        var good = TwoGroups(a, b).ToString();
        await using var elbe = await ElbeHarness.StartAsync(good);
        await elbe.WaitForHealthyAsync("GroupA", a.Port);
        var configuration = elbe.Server.Configuration;

        var broken = good.Replace("      Protocol: HTTP\n      DefaultActions:", "      Protocol: HTTP: broken\n      DefaultActions:", StringComparison.Ordinal);
        Assert.NotEqual(good, broken);
        var error = await elbe.ReloadExpectingRefusalAsync(broken);

        Assert.Contains(ElbeHarness.TemplateFileName, error.Message, StringComparison.Ordinal);
        Assert.Equal(TemplateLocation.LineOf(broken, "HTTP: broken"), TemplateLocation.LineNamedAfterFile(error.Message, ElbeHarness.TemplateFileName));
        Assert.Same(configuration, elbe.Server.Configuration);
        Assert.Equal("a", await elbe.GetBackendAsync("/"));
    }

    [Fact]
    public async Task A_rule_with_six_wildcards_is_refused_with_file_line_and_property_and_traffic_is_unchanged()
    {
        await using var a = await BackendServer.StartAsync("a");
        await using var b = await BackendServer.StartAsync("b");
        await using var elbe = await ElbeHarness.StartAsync(TwoGroups(a, b).ToString());
        await elbe.WaitForHealthyAsync("GroupA", a.Port);

        var broken = TwoGroups(a, b)
            .Rule("TooWild", 5, """
                - Field: path-pattern
                  PathPatternConfig:
                    Values: ['/a*/b*/c*/d*/e*/f*']
                """, CfnActions.Forward("GroupB"))
            .ToString();
        var error = await elbe.ReloadExpectingRefusalAsync(broken);

        // The limit is per rule, so the property path may name the value or the rule's Conditions.
        Assert.True(error.Message.Contains(ElbeHarness.TemplateFileName, StringComparison.Ordinal)
            && error.Message.Contains("TooWild", StringComparison.Ordinal)
            && error.Message.Contains("Conditions", StringComparison.Ordinal),
            $"The error should name the file, the rule and its Conditions: {error.Message}");
        var line = TemplateLocation.LineNamedAfterFile(error.Message, ElbeHarness.TemplateFileName);
        Assert.True(line is { } l && l >= TemplateLocation.LineOf(broken, "  TooWild:") && l <= TemplateLocation.LineOf(broken, "/f*"),
            $"The error should point inside the TooWild rule (lines {TemplateLocation.LineOf(broken, "  TooWild:")}-{TemplateLocation.LineOf(broken, "/f*")}): {error.Message}");
        Assert.Equal("a", await elbe.GetBackendAsync("/a1/b2/c3/d4/e5/f6"));
    }

    [Fact]
    public async Task An_invalid_condition_value_is_refused_pointing_at_that_value()
    {
        await using var a = await BackendServer.StartAsync("a");
        await using var b = await BackendServer.StartAsync("b");
        await using var elbe = await ElbeHarness.StartAsync(TwoGroups(a, b).ToString());
        await elbe.WaitForHealthyAsync("GroupA", a.Port);

        // A host-header value must contain a dot; the second value breaks that rule.
        var broken = TwoGroups(a, b)
            .Rule("NoDot", 5, """
                - Field: host-header
                  HostHeaderConfig:
                    Values:
                      - fine.example.com
                      - localhost
                """, CfnActions.Forward("GroupB"))
            .ToString();
        var error = await elbe.ReloadExpectingRefusalAsync(broken);

        Assert.True(error.Message.Contains("HostHeaderConfig.Values[1]", StringComparison.Ordinal), $"The error should name the property path: {error.Message}");
        Assert.Equal(TemplateLocation.LineOf(broken, "- localhost"), TemplateLocation.LineNamedAfterFile(error.Message, ElbeHarness.TemplateFileName));
        Assert.Equal("a", await elbe.GetBackendAsync("/", r => r.Headers.Host = "fine.example.com"));
    }

    [Fact]
    public async Task A_good_edit_after_a_refused_one_applies()
    {
        await using var a = await BackendServer.StartAsync("a");
        await using var b = await BackendServer.StartAsync("b");
        var good = TwoGroups(a, b).ToString();
        await using var elbe = await ElbeHarness.StartAsync(good);
        await elbe.WaitForHealthyAsync("GroupA", a.Port);

        await elbe.ReloadExpectingRefusalAsync(good.Replace("Resources:", "Resources: [", StringComparison.Ordinal));
        await elbe.ReloadAsync(TwoGroups(a, b).Rule("Fixed", 1, """
            - Field: path-pattern
              PathPatternConfig:
                Values: [/fixed]
            """, CfnActions.FixedResponse(200, "edited")).ToString());

        Assert.Null(elbe.Server.LastReloadError);
        using var response = await elbe.GetAsync("/fixed");
        Assert.Equal("edited", await response.Content.ReadAsStringAsync());
    }

    /// <summary>Default action to GroupA; GroupB is used by a host rule so it is health-checked before any edit routes to it.</summary>
    private static CfnTemplate TwoGroups(BackendServer a, BackendServer b) => new CfnTemplate()
        .LoadBalancer()
        .TargetGroup("GroupA", [a.Port])
        .TargetGroup("GroupB", [b.Port])
        .Listener(CfnActions.Forward("GroupA"))
        .Rule("HostToB", 100, """
            - Field: host-header
              HostHeaderConfig:
                Values: [b.example.com]
            """, CfnActions.Forward("GroupB"));
}
