using System.Xml.Linq;
using Elbe.ControlPlane.Api;
using Elbe.ControlPlane.Api.Shapes;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Tests.Api.Rules;

public sealed class ActionShapeTests
{
    private static QueryParameters Parameters(params (string Key, string Value)[] pairs) =>
        new(pairs.ToDictionary(p => p.Key, p => p.Value));

    private static XElement Echo(RuleAction action)
    {
        var xml = AwsXmlWriter.Response("X", ApiActionTable.Elbv2Namespace, "r", w => w.List("Actions", [action], ActionShape.Write));
        return XElement.Parse(xml).Descendants().First(e => e.Name.LocalName == "member");
    }

    private static string? Text(XElement e, string path)
    {
        XElement? node = e;
        foreach (var name in path.Split('/')) node = node?.Elements().FirstOrDefault(x => x.Name.LocalName == name);
        return node?.Value;
    }

    [Fact]
    public void A_forward_read_from_flattened_parameters_keeps_weights_and_stickiness()
    {
        var actions = ActionShape.ReadList(Parameters(
            ("Actions.member.1.Type", "forward"),
            ("Actions.member.1.ForwardConfig.TargetGroups.member.1.TargetGroupArn", "tg-a"),
            ("Actions.member.1.ForwardConfig.TargetGroups.member.1.Weight", "10"),
            ("Actions.member.1.ForwardConfig.TargetGroups.member.2.TargetGroupArn", "tg-b"),
            ("Actions.member.1.ForwardConfig.TargetGroupStickinessConfig.Enabled", "true"),
            ("Actions.member.1.ForwardConfig.TargetGroupStickinessConfig.DurationSeconds", "60")), "Actions")!.Value;
        var forward = Assert.Single(actions).Forward!;
        Assert.Equal(new[] { new WeightedTargetGroup("tg-a", 10), new WeightedTargetGroup("tg-b", 1) }, forward.TargetGroups.ToArray());
        Assert.True(forward.StickinessEnabled);
        Assert.Equal(60, forward.StickinessDurationSeconds);

        var echo = Echo(actions[0]);
        Assert.Null(Text(echo, "TargetGroupArn"));
        Assert.Equal("60", Text(echo, "ForwardConfig/TargetGroupStickinessConfig/DurationSeconds"));
    }

    [Fact]
    public void A_plain_forward_is_echoed_with_its_ForwardConfig()
    {
        var echo = Echo(new RuleAction { Type = "forward", TargetGroupArn = "tg-a" });
        Assert.Equal("tg-a", Text(echo, "TargetGroupArn"));
        Assert.Equal("tg-a", Text(echo, "ForwardConfig/TargetGroups/member/TargetGroupArn"));
        Assert.Equal("1", Text(echo, "ForwardConfig/TargetGroups/member/Weight"));
        Assert.Equal("false", Text(echo, "ForwardConfig/TargetGroupStickinessConfig/Enabled"));
        Assert.Null(Text(echo, "ForwardConfig/TargetGroupStickinessConfig/DurationSeconds"));
        Assert.Null(Text(echo, "Order"));
    }

    [Fact]
    public void Omitted_redirect_parts_come_back_as_placeholders()
    {
        var action = ActionShape.Read(Parameters(("Type", "redirect"), ("RedirectConfig.Host", "example.com"), ("RedirectConfig.StatusCode", "HTTP_302")));
        var echo = Echo(action);
        Assert.Equal(("#{protocol}", "#{port}", "example.com", "/#{path}", "#{query}", "HTTP_302"),
            (Text(echo, "RedirectConfig/Protocol"), Text(echo, "RedirectConfig/Port"), Text(echo, "RedirectConfig/Host"),
             Text(echo, "RedirectConfig/Path"), Text(echo, "RedirectConfig/Query"), Text(echo, "RedirectConfig/StatusCode")));
    }

    [Fact]
    public void An_OIDC_action_stores_its_client_secret_but_never_echoes_it()
    {
        var action = ActionShape.Read(Parameters(("Type", "authenticate-oidc"), ("Order", "1"),
            ("AuthenticateOidcConfig.Issuer", "https://idp.example.com"),
            ("AuthenticateOidcConfig.AuthorizationEndpoint", "https://idp.example.com/auth"),
            ("AuthenticateOidcConfig.TokenEndpoint", "https://idp.example.com/token"),
            ("AuthenticateOidcConfig.UserInfoEndpoint", "https://idp.example.com/userinfo"),
            ("AuthenticateOidcConfig.ClientId", "client"),
            ("AuthenticateOidcConfig.ClientSecret", "s3cret"),
            ("AuthenticateOidcConfig.AuthenticationRequestExtraParams.entry.1.key", "prompt"),
            ("AuthenticateOidcConfig.AuthenticationRequestExtraParams.entry.1.value", "login")));
        Assert.Equal("s3cret", action.AuthenticateOidc!.ClientSecret);

        var echo = Echo(action);
        Assert.DoesNotContain("s3cret", echo.ToString());
        Assert.Null(Text(echo, "AuthenticateOidcConfig/ClientSecret"));
        Assert.Equal(("AWSELBAuthSessionCookie", "openid", "604800", "authenticate"),
            (Text(echo, "AuthenticateOidcConfig/SessionCookieName"), Text(echo, "AuthenticateOidcConfig/Scope"),
             Text(echo, "AuthenticateOidcConfig/SessionTimeout"), Text(echo, "AuthenticateOidcConfig/OnUnauthenticatedRequest")));
        Assert.Equal("login", Text(echo, "AuthenticateOidcConfig/AuthenticationRequestExtraParams/entry/value"));
    }

    [Fact]
    public void Reusing_an_existing_client_secret_keeps_the_stored_one_and_without_one_is_refused()
    {
        var previous = new RuleAction
        {
            Type = "authenticate-oidc",
            AuthenticateOidc = new AuthenticateOidcConfig { Issuer = "i", AuthorizationEndpoint = "a", TokenEndpoint = "t", UserInfoEndpoint = "u", ClientId = "c", ClientSecret = "kept" },
        };
        var given = previous with { AuthenticateOidc = previous.AuthenticateOidc with { ClientSecret = null } };
        Assert.Equal("kept", ActionShape.KeepClientSecrets([given], [previous])[0].AuthenticateOidc!.ClientSecret);
        Assert.Equal("ValidationError", Assert.Throws<ApiException>(() => ActionShape.KeepClientSecrets([given], default)).Code);
    }

    [Fact]
    public void A_missing_action_type_is_refused_as_a_missing_member()
    {
        var error = Assert.Throws<ApiException>(() => ActionShape.Read(Parameters(("TargetGroupArn", "tg"))));
        Assert.Equal("ValidationError", error.Code);
    }
}
