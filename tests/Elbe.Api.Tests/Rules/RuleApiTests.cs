using System.Xml.Linq;
using Elbe.Api.Tests.Infrastructure;
using Elbe.Api.Tests.LoadBalancers;
using static Elbe.Api.Tests.TargetGroups.TargetGroupCalls;

namespace Elbe.Api.Tests.Rules;

/// <summary>CreateRule, DescribeRules, ModifyRule, DeleteRule and SetRulePriorities over signed HTTP, plus a CLI subset.</summary>
public sealed class RuleApiTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    private SignedApiClient Client => server.Client;
    private static int nextPort = 9100;

    private async Task<(string LoadBalancer, string Listener, string TargetGroup)> ListenerAsync(SignedApiClient? client = null)
    {
        client ??= Client;
        var tg = await CreateAsync(client, UniqueName.Next("tg"));
        var lb = await LoadBalancerCalls.CreateArnAsync(client, UniqueName.Next("alb"));
        var listener = (await LoadBalancerCalls.CreateListenerAsync(client, lb, "HTTP", Interlocked.Increment(ref nextPort))).AssertSuccess().Value("ListenerArn")!;
        return (lb, listener, tg);
    }

    private static ApiRequestParameters Rule(string listener, int priority, string path, string tg) => new ApiRequestParameters()
        .Add("ListenerArn", listener).Add("Priority", priority)
        .StructList("Conditions", c => c.Add("Field", "path-pattern").List("Values", path))
        .StructList("Actions", a => a.Add("Type", "forward").Add("TargetGroupArn", tg));

    private async Task<string> CreateRuleAsync(string listener, int priority, string path, string tg, SignedApiClient? client = null) =>
        (await (client ?? Client).CallAsync("CreateRule", Rule(listener, priority, path, tg))).AssertSuccess("CreateRule").Value("RuleArn")!;

    private static XElement Child(XElement e, string name) => e.Elements().Single(x => x.Name.LocalName == name);

    [Fact]
    public async Task A_created_rule_echoes_conditions_and_actions_as_AWS_does()
    {
        var (_, listener, tg) = await ListenerAsync();
        var p = new ApiRequestParameters().Add("ListenerArn", listener).Add("Priority", 10)
            .StructList("Conditions",
                c => c.Add("Field", "host-header").Struct("HostHeaderConfig", h => h.List("Values", "api.example.com")),
                c => c.Add("Field", "path-pattern").List("Values", "/v1/*"),
                c => c.Add("Field", "http-header").Struct("HttpHeaderConfig", h => h.Add("HttpHeaderName", "X-Env").List("Values", "blue")))
            .StructList("Actions", a => a.Add("Type", "forward").Add("TargetGroupArn", tg))
            .Tags(("team", "api"));
        var rule = Assert.Single((await Client.CallAsync("CreateRule", p)).AssertSuccess("CreateRule").Members("Rules"));

        Assert.Matches(@"^arn:aws:elasticloadbalancing:us-east-1:\d{12}:listener-rule/app/[^/]+/[0-9a-f]{16}/[0-9a-f]{16}/[0-9a-f]{16}$", ApiResponse.Child(rule, "RuleArn"));
        Assert.Equal(("10", "false"), (Child(rule, "Priority").Value, Child(rule, "IsDefault").Value));
        var conditions = ApiResponse.Members(Child(rule, "Conditions"));
        Assert.Equal(3, conditions.Count);
        // host-header and path-pattern come back in both forms.
        Assert.Equal(["api.example.com"], ApiResponse.Members(Child(conditions[0], "Values")).Select(v => v.Value));
        Assert.Equal(["api.example.com"], ApiResponse.Members(Child(Child(conditions[0], "HostHeaderConfig"), "Values")).Select(v => v.Value));
        Assert.Equal(["/v1/*"], ApiResponse.Members(Child(Child(conditions[1], "PathPatternConfig"), "Values")).Select(v => v.Value));
        Assert.Equal("X-Env", ApiResponse.Child(Child(conditions[2], "HttpHeaderConfig"), "HttpHeaderName"));

        var action = Assert.Single(ApiResponse.Members(Child(rule, "Actions")));
        Assert.Equal(("forward", tg), (ApiResponse.Child(action, "Type"), Child(action, "TargetGroupArn").Value));
        var forward = Child(action, "ForwardConfig");
        var tuple = Assert.Single(ApiResponse.Members(Child(forward, "TargetGroups")));
        Assert.Equal((tg, "1"), (ApiResponse.Child(tuple, "TargetGroupArn"), ApiResponse.Child(tuple, "Weight")));
        Assert.Equal("false", ApiResponse.Child(Child(forward, "TargetGroupStickinessConfig"), "Enabled"));
    }

    [Fact]
    public async Task Redirect_and_fixed_response_actions_come_back_with_every_part()
    {
        var (_, listener, _) = await ListenerAsync();
        var p = new ApiRequestParameters().Add("ListenerArn", listener).Add("Priority", 1)
            .StructList("Conditions", c => c.Add("Field", "path-pattern").List("Values", "/old"))
            .StructList("Actions", a => a.Add("Type", "redirect").Struct("RedirectConfig", r => r.Add("Protocol", "HTTPS").Add("StatusCode", "HTTP_301")));
        var redirect = Child(Assert.Single(ApiResponse.Members(Child(Assert.Single((await Client.CallAsync("CreateRule", p)).AssertSuccess().Members("Rules")), "Actions"))), "RedirectConfig");
        Assert.Equal(("HTTPS", "#{port}", "#{host}", "/#{path}", "#{query}", "HTTP_301"), (ApiResponse.Child(redirect, "Protocol"), ApiResponse.Child(redirect, "Port"),
            ApiResponse.Child(redirect, "Host"), ApiResponse.Child(redirect, "Path"), ApiResponse.Child(redirect, "Query"), ApiResponse.Child(redirect, "StatusCode")));

        var q = new ApiRequestParameters().Add("ListenerArn", listener).Add("Priority", 2)
            .StructList("Conditions", c => c.Add("Field", "query-string").Struct("QueryStringConfig", s => s.StructList("Values", v => v.Add("Key", "a").Add("Value", "b"))))
            .StructList("Actions", a => a.Add("Type", "fixed-response").Struct("FixedResponseConfig", f => f.Add("StatusCode", "503").Add("ContentType", "text/plain").Add("MessageBody", "down & out")));
        var created = (await Client.CallAsync("CreateRule", q)).AssertSuccess();
        Assert.Equal(("503", "down & out"), (created.Value("StatusCode"), created.Value("MessageBody")));
        Assert.Equal(("a", "b"), (created.Value("Key"), created.Value("Value")));
    }

    [Fact]
    public async Task Create_refuses_with_AWS_codes()
    {
        var (lb, listener, tg) = await ListenerAsync();
        await CreateRuleAsync(listener, 5, "/a", tg);
        (await Client.CallAsync("CreateRule", Rule(listener, 5, "/b", tg))).AssertError("PriorityInUse");
        (await Client.CallAsync("CreateRule", Rule(listener + "0", 6, "/b", tg))).AssertError("ListenerNotFound");
        (await Client.CallAsync("CreateRule", Rule(listener, 6, "/b", tg + "0"))).AssertError("TargetGroupNotFound");
        (await Client.CallAsync("CreateRule", Rule(listener, 50001, "/b", tg))).AssertError("ValidationError");
        (await Client.CallAsync("CreateRule", Rule(listener, 6, "/has space", tg))).AssertError("ValidationError");
        (await Client.CallAsync("CreateRule", Rule(listener, 6, "/b", tg).StructList("Conditions", c => c.Add("Field", "nope").List("Values", "x")))).AssertError("ValidationError");
        var tcpGroup = await CreateAsync(Client, UniqueName.Next("tg"), "TCP", 80);
        (await Client.CallAsync("CreateRule", Rule(listener, 6, "/b", tcpGroup))).AssertError("IncompatibleProtocols");
        var twoTerminal = new ApiRequestParameters().Add("ListenerArn", listener).Add("Priority", 7)
            .StructList("Conditions", c => c.Add("Field", "path-pattern").List("Values", "/c"))
            .StructList("Actions",
                a => a.Add("Type", "forward").Add("TargetGroupArn", tg).Add("Order", 1),
                a => a.Add("Type", "fixed-response").Add("Order", 2).Struct("FixedResponseConfig", f => f.Add("StatusCode", "200")));
        (await Client.CallAsync("CreateRule", twoTerminal)).AssertError("TooManyActions");

        var nlb = await LoadBalancerCalls.CreateArnAsync(Client, UniqueName.Next("nlb"), "network");
        var nlbListener = (await LoadBalancerCalls.CreateListenerAsync(Client, nlb, "TCP", 7000, p => LoadBalancerCalls.Forward(p, tcpGroup))).AssertSuccess().Value("ListenerArn")!;
        (await Client.CallAsync("CreateRule", Rule(nlbListener, 1, "/x", tg))).AssertError("InvalidConfigurationRequest");
        _ = lb;
    }

    [Fact]
    public async Task The_101st_rule_on_one_load_balancer_is_TooManyRules()
    {
        var (_, listener, tg) = await ListenerAsync();
        for (var i = 1; i <= 100; i++) await CreateRuleAsync(listener, i, $"/p{i}", tg);
        (await Client.CallAsync("CreateRule", Rule(listener, 101, "/p101", tg))).AssertError("TooManyRules");
    }

    [Fact]
    public async Task DescribeRules_lists_rules_by_priority_then_the_default_rule()
    {
        var (_, listener, tg) = await ListenerAsync();
        var r20 = await CreateRuleAsync(listener, 20, "/b", tg);
        var r3 = await CreateRuleAsync(listener, 3, "/a", tg);
        var described = (await Client.CallAsync("DescribeRules", new ApiRequestParameters().Add("ListenerArn", listener))).AssertSuccess("DescribeRules");
        var rules = described.Members("Rules");
        Assert.Equal(["3", "20", "default"], rules.Select(r => Child(r, "Priority").Value));
        Assert.Equal([r3, r20], rules.Take(2).Select(r => Child(r, "RuleArn").Value));
        var defaultRule = rules[2];
        Assert.Equal("true", Child(defaultRule, "IsDefault").Value);
        Assert.Empty(ApiResponse.Members(Child(defaultRule, "Conditions")));
        Assert.Equal("fixed-response", ApiResponse.Child(Assert.Single(ApiResponse.Members(Child(defaultRule, "Actions"))), "Type"));

        var byArn = (await Client.CallAsync("DescribeRules", new ApiRequestParameters().List("RuleArns", r20, Child(defaultRule, "RuleArn").Value))).AssertSuccess();
        Assert.Equal(["20", "default"], byArn.Members("Rules").Select(r => Child(r, "Priority").Value));

        (await Client.CallAsync("DescribeRules", new ApiRequestParameters().List("RuleArns", r20 + "0"))).AssertError("RuleNotFound");
        (await Client.CallAsync("DescribeRules", new ApiRequestParameters().Add("ListenerArn", listener + "0"))).AssertError("ListenerNotFound");
        (await Client.CallAsync("DescribeRules", new ApiRequestParameters())).AssertError("ValidationError");
    }

    [Fact]
    public async Task ModifyRule_replaces_what_is_given_and_the_default_rule_takes_actions_only()
    {
        var (_, listener, tg) = await ListenerAsync();
        var arn = await CreateRuleAsync(listener, 4, "/a", tg);
        var modified = (await Client.CallAsync("ModifyRule", new ApiRequestParameters().Add("RuleArn", arn)
            .StructList("Conditions", c => c.Add("Field", "http-request-method").Struct("HttpRequestMethodConfig", m => m.List("Values", "POST")))))
            .AssertSuccess("ModifyRule");
        var rule = Assert.Single(modified.Members("Rules"));
        Assert.Equal("http-request-method", ApiResponse.Child(Assert.Single(ApiResponse.Members(Child(rule, "Conditions"))), "Field"));
        Assert.Equal("forward", ApiResponse.Child(Assert.Single(ApiResponse.Members(Child(rule, "Actions"))), "Type"));
        Assert.Equal("4", Child(rule, "Priority").Value);

        var defaultArn = (await Client.CallAsync("DescribeRules", new ApiRequestParameters().Add("ListenerArn", listener))).AssertSuccess().Members("Rules")
            .Single(r => Child(r, "IsDefault").Value == "true").Elements().Single(e => e.Name.LocalName == "RuleArn").Value;
        (await Client.CallAsync("ModifyRule", new ApiRequestParameters().Add("RuleArn", defaultArn)
            .StructList("Actions", a => a.Add("Type", "forward").Add("TargetGroupArn", tg)))).AssertSuccess();
        var listenerNow = (await Client.CallAsync("DescribeListeners", new ApiRequestParameters().List("ListenerArns", listener))).AssertSuccess();
        Assert.Equal(tg, listenerNow.Value("TargetGroupArn"));
        (await Client.CallAsync("ModifyRule", new ApiRequestParameters().Add("RuleArn", defaultArn)
            .StructList("Conditions", c => c.Add("Field", "path-pattern").List("Values", "/x")))).AssertError("OperationNotPermitted");
        (await Client.CallAsync("ModifyRule", new ApiRequestParameters().Add("RuleArn", arn + "0"))).AssertError("RuleNotFound");
    }

    [Fact]
    public async Task SetRulePriorities_is_atomic_and_the_default_rule_cannot_move_or_be_deleted()
    {
        var (_, listener, tg) = await ListenerAsync();
        var a = await CreateRuleAsync(listener, 1, "/a", tg);
        var b = await CreateRuleAsync(listener, 2, "/b", tg);
        var c = await CreateRuleAsync(listener, 3, "/c", tg);
        var pair = (string arn, int priority) => (Action<ApiRequestParameters>)(x => x.Add("RuleArn", arn).Add("Priority", priority));

        var swapped = (await Client.CallAsync("SetRulePriorities", new ApiRequestParameters().StructList("RulePriorities", pair(a, 2), pair(b, 1)))).AssertSuccess("SetRulePriorities");
        Assert.Equal(2, swapped.Members("Rules").Count);
        (await Client.CallAsync("SetRulePriorities", new ApiRequestParameters().StructList("RulePriorities", pair(a, 10), pair(c, 1)))).AssertError("PriorityInUse");
        var order = (await Client.CallAsync("DescribeRules", new ApiRequestParameters().Add("ListenerArn", listener))).AssertSuccess().Members("Rules")
            .Select(r => Child(r, "RuleArn").Value).Take(3);
        Assert.Equal([b, a, c], order);

        var defaultArn = (await Client.CallAsync("DescribeRules", new ApiRequestParameters().Add("ListenerArn", listener))).AssertSuccess().Members("Rules")
            .Last().Elements().Single(e => e.Name.LocalName == "RuleArn").Value;
        (await Client.CallAsync("SetRulePriorities", new ApiRequestParameters().StructList("RulePriorities", pair(defaultArn, 9)))).AssertError("OperationNotPermitted");
        (await Client.CallAsync("DeleteRule", new ApiRequestParameters().Add("RuleArn", defaultArn))).AssertError("OperationNotPermitted");
        (await Client.CallAsync("DeleteRule", new ApiRequestParameters().Add("RuleArn", c))).AssertSuccess("DeleteRule");
        (await Client.CallAsync("DeleteRule", new ApiRequestParameters().Add("RuleArn", c))).AssertError("RuleNotFound");
    }

    /// <summary>
    /// AWS allows 100 rules per ALB (raising the quota is a support ticket), so one listener can never hold more
    /// than 400 rules without one. 450 rules therefore go on five ALBs (90 each); DescribeRules by RuleArns pages
    /// over all 450 (400, then 50), and by ListenerArn with PageSize 25 over one listener's 91 (90 + default).
    /// </summary>
    [Fact]
    public async Task DescribeRules_pages_over_450_rules()
    {
        var arns = new List<string>();
        string? firstListener = null;
        for (var lb = 0; lb < 5; lb++)
        {
            var (_, listener, tg) = await ListenerAsync();
            firstListener ??= listener;
            for (var i = 1; i <= 90; i++) arns.Add(await CreateRuleAsync(listener, i, $"/r{i}", tg));
        }

        var first = (await Client.CallAsync("DescribeRules", new ApiRequestParameters().List("RuleArns", arns))).AssertSuccess();
        Assert.Equal(400, first.Members("Rules").Count);
        var marker = first.Value("NextMarker")!;
        var second = (await Client.CallAsync("DescribeRules", new ApiRequestParameters().List("RuleArns", arns).Add("Marker", marker))).AssertSuccess();
        Assert.Equal(50, second.Members("Rules").Count);
        Assert.Null(second.Element("NextMarker"));
        Assert.Equal(arns, first.Members("Rules").Concat(second.Members("Rules")).Select(r => Child(r, "RuleArn").Value));

        var seen = new List<string>();
        string? next = null;
        do
        {
            var p = new ApiRequestParameters().Add("ListenerArn", firstListener!).Add("PageSize", 25);
            if (next is not null) p.Add("Marker", next);
            var page = (await Client.CallAsync("DescribeRules", p)).AssertSuccess();
            seen.AddRange(page.Members("Rules").Select(r => Child(r, "Priority").Value));
            next = page.Value("NextMarker");
        } while (next is not null);
        Assert.Equal(Enumerable.Range(1, 90).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("default"), seen);
    }

    [Fact]
    public async Task Rules_survive_a_restart()
    {
        await using var harness = await ApiHarness.StartAsync();
        var (_, listener, tg) = await ListenerAsync(harness.Client);
        var arn = await CreateRuleAsync(listener, 42, "/kept", tg, harness.Client);
        await harness.RestartAsync();
        var rule = Assert.Single((await harness.Client.CallAsync("DescribeRules", new ApiRequestParameters().List("RuleArns", arn))).AssertSuccess().Members("Rules"));
        Assert.Equal("42", Child(rule, "Priority").Value);
        Assert.Equal("/kept", ApiResponse.Child(Child(Assert.Single(ApiResponse.Members(Child(rule, "Conditions"))), "PathPatternConfig"), "member"));
    }

    [Fact]
    public async Task A_gateway_listener_elsewhere_does_not_block_rule_changes()
    {
        // A gateway listener has no port, which the whole-configuration check flags; that is not a rule call's problem.
        await using var harness = await ApiHarness.StartAsync();
        var gwlb = await LoadBalancerCalls.CreateArnAsync(harness.Client, UniqueName.Next("rgw"), "gateway");
        var geneve = await LoadBalancerCalls.CreateTargetGroupAsync(harness.Client, UniqueName.Next("gen"), "GENEVE", 6081);
        (await LoadBalancerCalls.CreateListenerAsync(harness.Client, gwlb, null, null,
            p => p.StructList("DefaultActions", a => a.Add("Type", "forward").Add("TargetGroupArn", geneve)))).AssertSuccess("CreateListener");
        var (_, listener, tg) = await ListenerAsync(harness.Client);

        var arn = await CreateRuleAsync(listener, 3, "/after-gateway", tg, harness.Client);
        (await harness.Client.CallAsync("ModifyRule", new ApiRequestParameters().Add("RuleArn", arn)
            .StructList("Conditions", c => c.Add("Field", "path-pattern").List("Values", "/moved")))).AssertSuccess("ModifyRule");
        var priority = await harness.Client.CallAsync("DescribeRules", new ApiRequestParameters().List("RuleArns", arn));
        Assert.Equal("/moved", ApiResponse.Child(Child(Assert.Single(ApiResponse.Members(Child(Assert.Single(priority.AssertSuccess().Members("Rules")), "Conditions"))), "PathPatternConfig"), "member"));
    }

    [Fact]
    public async Task The_CLI_creates_describes_reorders_and_deletes_rules()
    {
        var (_, listener, tg) = await ListenerAsync();
        var created = (await server.Cli.RunAsync("elbv2", "create-rule", "--listener-arn", listener, "--priority", "5",
            "--conditions", "Field=path-pattern,Values=/cli/*", "--actions", $"Type=forward,TargetGroupArn={tg}")).AssertSuccess().Json;
        var rule = created.GetProperty("Rules")[0];
        var arn = rule.GetProperty("RuleArn").GetString()!;
        Assert.Equal("5", rule.GetProperty("Priority").GetString());
        Assert.Equal(1, rule.GetProperty("Actions")[0].GetProperty("ForwardConfig").GetProperty("TargetGroups")[0].GetProperty("Weight").GetInt32());

        var described = (await server.Cli.RunAsync("elbv2", "describe-rules", "--listener-arn", listener)).AssertSuccess().Json.GetProperty("Rules");
        Assert.Equal(2, described.GetArrayLength());
        Assert.True(described[1].GetProperty("IsDefault").GetBoolean());

        var moved = (await server.Cli.RunAsync("elbv2", "set-rule-priorities", "--rule-priorities", $"RuleArn={arn},Priority=7")).AssertSuccess().Json;
        Assert.Equal("7", moved.GetProperty("Rules")[0].GetProperty("Priority").GetString());
        (await server.Cli.RunAsync("elbv2", "create-rule", "--listener-arn", listener, "--priority", "7",
            "--conditions", "Field=path-pattern,Values=/x", "--actions", $"Type=forward,TargetGroupArn={tg}")).AssertError("PriorityInUse");
        (await server.Cli.RunAsync("elbv2", "delete-rule", "--rule-arn", arn)).AssertSuccess();
        (await server.Cli.RunAsync("elbv2", "describe-rules", "--rule-arns", arn)).AssertError("RuleNotFound");
    }
}
