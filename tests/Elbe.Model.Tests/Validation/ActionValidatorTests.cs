using Elbe.Model.Resources;
using Elbe.Model.Validation;
using static Elbe.Model.Tests.Validation.SampleConfiguration;

namespace Elbe.Model.Tests.Validation;

public class ActionValidatorTests
{
    private static IReadOnlyList<ModelValidationException> Check(string? protocol, params RuleAction[] actions) =>
        RuleValidator.Collect(Rule(1) with { Actions = [.. actions] }, protocol);

    private static ModelValidationException Single(string? protocol, params RuleAction[] actions)
    {
        var errors = Check(protocol, actions);
        Assert.Single(errors);
        return errors[0];
    }

    private static RuleAction Redirect(RedirectConfig config) => new() { Type = ActionTypes.Redirect, Redirect = config };
    private static RuleAction Fixed(string status, string? contentType = null, string? body = null) =>
        new() { Type = ActionTypes.FixedResponse, FixedResponse = new FixedResponseConfig { StatusCode = status, ContentType = contentType, MessageBody = body } };
    private static RuleAction Weighted(params WeightedTargetGroup[] groups) =>
        new() { Type = ActionTypes.Forward, Forward = new ForwardConfig { TargetGroups = [.. groups] } };

    [Fact]
    public void No_actions()
    {
        Assert.Equal("Actions", Single(null).Path);
    }

    [Fact]
    public void Missing_terminal_action()
    {
        var e = Single("HTTPS", new RuleAction { Type = ActionTypes.AuthenticateOidc, Order = 1 });
        Assert.Equal("InvalidLoadBalancerAction", e.Code);
    }

    [Fact]
    public void Two_terminal_actions()
    {
        Assert.Equal("TooManyActions", Single(null, Forward() with { Order = 1 }, Fixed("200") with { Order = 2 }).Code);
    }

    [Fact]
    public void Terminal_action_must_be_last_by_order()
    {
        Assert.Empty(Check("HTTPS", Forward() with { Order = 2 }, new RuleAction { Type = ActionTypes.AuthenticateCognito, Order = 1 }));
        var e = Single("HTTPS", Forward() with { Order = 1 }, new RuleAction { Type = ActionTypes.AuthenticateCognito, Order = 2 });
        Assert.Equal("InvalidLoadBalancerAction", e.Code);
    }

    [Fact]
    public void Authenticate_needs_https_listener()
    {
        var e = Single("HTTP", new RuleAction { Type = ActionTypes.AuthenticateOidc, Order = 1 }, Forward() with { Order = 2 });
        Assert.Equal("InvalidConfigurationRequest", e.Code);
        Assert.Equal("Actions[0].Type", e.Path);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(50001)]
    public void Order_range(int order)
    {
        var e = Single(null, Forward() with { Order = order });
        Assert.Equal("Actions[0].Order", e.Path);
        Assert.Equal("ValidationError", e.Code);
    }

    [Fact]
    public void Unknown_type()
    {
        Assert.Contains(Check(null, new RuleAction { Type = "teleport" }), e => e.Path == "Actions[0].Type");
    }

    [Fact]
    public void Forward_needs_a_target_group()
    {
        Assert.Equal("Actions[0]", Single(null, new RuleAction { Type = ActionTypes.Forward }).Path);
    }

    [Fact]
    public void Forward_both_forms_must_agree()
    {
        Assert.Empty(Check(null, Weighted(new WeightedTargetGroup(TgArn, 1)) with { TargetGroupArn = TgArn }));
        Assert.Equal("Actions[0].TargetGroupArn", Single(null, Weighted(new WeightedTargetGroup("other", 1)) with { TargetGroupArn = TgArn }).Path);
    }

    [Fact]
    public void Forward_at_most_five_target_groups()
    {
        var groups = Enumerable.Range(0, 6).Select(i => new WeightedTargetGroup("tg" + i, 1)).ToArray();
        var e = Single(null, Weighted(groups));
        Assert.Equal("TooManyTargetGroups", e.Code);
        Assert.Empty(Check(null, Weighted(groups[..5])));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1000)]
    public void Forward_weight_range(int weight)
    {
        var e = Single(null, Weighted(new WeightedTargetGroup("a", 1), new WeightedTargetGroup("b", 1), new WeightedTargetGroup("c", weight)));
        Assert.Equal("Actions[0].ForwardConfig.TargetGroups[2].Weight", e.Path);
    }

    [Fact]
    public void Forward_stickiness_duration()
    {
        var sticky = new ForwardConfig { TargetGroups = [new WeightedTargetGroup("a", 1)], StickinessEnabled = true };
        var path = "Actions[0].ForwardConfig.TargetGroupStickinessConfig.DurationSeconds";
        Assert.Equal(path, Single(null, new RuleAction { Type = ActionTypes.Forward, Forward = sticky }).Path);
        Assert.Equal(path, Single(null, new RuleAction { Type = ActionTypes.Forward, Forward = sticky with { StickinessDurationSeconds = 604801 } }).Path);
        Assert.Empty(Check(null, new RuleAction { Type = ActionTypes.Forward, Forward = sticky with { StickinessDurationSeconds = 3600 } }));
    }

    [Fact]
    public void Redirect_must_change_something()
    {
        var e = Single(null, Redirect(new RedirectConfig { StatusCode = "HTTP_301" }));
        Assert.Equal("InvalidLoadBalancerAction", e.Code);
        Assert.Empty(Check(null, Redirect(new RedirectConfig { StatusCode = "HTTP_301", Protocol = "HTTPS", Port = "443" })));
        Assert.Empty(Check(null, Redirect(new RedirectConfig { StatusCode = "HTTP_302", Path = "/new/#{path}" })));
    }

    [Fact]
    public void Redirect_field_rules()
    {
        var ok = new RedirectConfig { StatusCode = "HTTP_301", Protocol = "HTTPS" };
        Assert.Equal("Actions[0].RedirectConfig.StatusCode", Single(null, Redirect(ok with { StatusCode = "HTTP_307" })).Path);
        Assert.Equal("Actions[0].RedirectConfig.Protocol", Single(null, Redirect(ok with { Protocol = "FTP" })).Path);
        Assert.Equal("Actions[0].RedirectConfig.Port", Single(null, Redirect(ok with { Port = "70000" })).Path);
        Assert.Equal("Actions[0].RedirectConfig.Host", Single(null, Redirect(ok with { Host = new string('h', 129) })).Path);
        Assert.Equal("Actions[0].RedirectConfig.Path", Single(null, Redirect(ok with { Path = "no-slash" })).Path);
        Assert.Equal("Actions[0].RedirectConfig.Query", Single(null, Redirect(ok with { Query = "?a=1" })).Path);
        Assert.Equal("Actions[0].RedirectConfig.Query", Single(null, Redirect(ok with { Query = new string('q', 129) })).Path);
        Assert.Equal("Actions[0].RedirectConfig", Single(null, new RuleAction { Type = ActionTypes.Redirect }).Path);
    }

    [Fact]
    public void Redirect_https_to_http_only_decidable_per_listener()
    {
        var down = Redirect(new RedirectConfig { StatusCode = "HTTP_301", Protocol = "HTTP" });
        Assert.Empty(Check(null, down));
        Assert.Empty(Check("HTTP", down with { Redirect = down.Redirect! with { Host = "other.example.com" } }));
        Assert.Equal("InvalidLoadBalancerAction", Single("HTTPS", down).Code);
    }

    [Theory]
    [InlineData("200", true)]
    [InlineData("404", true)]
    [InlineData("503", true)]
    [InlineData("302", false)]
    [InlineData("600", false)]
    [InlineData("20", false)]
    [InlineData("2x0", false)]
    public void Fixed_response_status(string status, bool valid)
    {
        Assert.Equal(valid, Check(null, Fixed(status)).Count == 0);
    }

    [Fact]
    public void Fixed_response_content_type_and_body()
    {
        Assert.Empty(Check(null, Fixed("200", "application/json", new string('b', 1024))));
        Assert.Equal("Actions[0].FixedResponseConfig.ContentType", Single(null, Fixed("200", "text/xml")).Path);
        Assert.Equal("Actions[0].FixedResponseConfig.MessageBody", Single(null, Fixed("200", "text/plain", new string('b', 1025))).Path);
    }

    [Fact]
    public void Default_actions_use_their_own_path()
    {
        var listener = Listener() with { DefaultActions = [Fixed("700")] };
        var ex = Assert.Throws<ModelValidationException>(() => RuleValidator.ValidateDefaultActions(listener));
        Assert.Equal("DefaultActions[0].FixedResponseConfig.StatusCode", ex.Path);
        Assert.Equal(listener.Arn, ex.ResourceArn);
    }
}
