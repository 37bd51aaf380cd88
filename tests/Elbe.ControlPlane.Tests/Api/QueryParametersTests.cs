using Elbe.ControlPlane.Api;

namespace Elbe.ControlPlane.Tests.Api;

public sealed class QueryParametersTests
{
    private static QueryParameters Parse(params (string Key, string Value)[] pairs) =>
        new(pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));

    [Fact]
    public void Scalars_read_as_strings_numbers_and_booleans()
    {
        var p = Parse(("Name", "my-alb"), ("Port", "80"), ("Big", "5000000000"), ("Enabled", "true"), ("Off", "False"));

        Assert.Equal("my-alb", p.Get("Name"));
        Assert.Equal(80, p.GetInt("Port"));
        Assert.Equal(5_000_000_000L, p.GetLong("Big"));
        Assert.True(p.GetBool("Enabled"));
        Assert.False(p.GetBool("Off"));
        Assert.Null(p.Get("Missing"));
        Assert.Null(p.GetInt("Missing"));
        Assert.Null(p.GetBool("Missing"));
        Assert.True(p.Has("Name"));
        Assert.False(p.Has("Missing"));
    }

    [Theory]
    [InlineData("eighty")]
    [InlineData("8.0")]
    [InlineData("99999999999")]
    public void A_non_integer_is_a_validation_error(string text)
    {
        var error = Assert.Throws<ApiException>(() => Parse(("Port", text)).GetInt("Port"));

        Assert.Equal(("ValidationError", 400), (error.Code, error.StatusCode));
        Assert.Contains("'port'", error.Message);
    }

    [Fact]
    public void A_non_boolean_is_a_validation_error() =>
        Assert.Equal("ValidationError", Assert.Throws<ApiException>(() => Parse(("Enabled", "yes")).GetBool("Enabled")).Code);

    [Fact]
    public void Require_names_the_missing_member_the_aws_way()
    {
        var error = Assert.Throws<ApiException>(() => Parse().Require("LoadBalancerArn"));

        Assert.Equal("ValidationError", error.Code);
        Assert.StartsWith("1 validation error detected: Value ", error.Message);
        Assert.EndsWith(" at 'loadBalancerArn' failed to satisfy constraint: Member must not be null", error.Message);
    }

    [Fact]
    public void Member_lists_come_back_in_index_order()
    {
        var p = Parse(("Subnets.member.2", "subnet-b"), ("Subnets.member.10", "subnet-j"), ("Subnets.member.1", "subnet-a"));

        Assert.Equal(["subnet-a", "subnet-b", "subnet-j"], p.GetList("Subnets"));
        Assert.True(p.Has("Subnets"));
    }

    [Fact]
    public void An_absent_list_is_null_and_the_bare_key_is_an_empty_list()
    {
        var p = Parse(("SecurityGroups", ""));

        Assert.Null(p.GetList("Subnets"));
        Assert.Equal([], p.GetList("SecurityGroups"));
        Assert.Equal([], p.GetStructList("SecurityGroups")!);
        Assert.True(p.Has("SecurityGroups"));
    }

    [Fact]
    public void A_bare_key_with_a_value_is_not_an_empty_list() =>
        Assert.Null(Parse(("Subnets", "subnet-a")).GetList("Subnets"));

    [Fact]
    public void Structure_lists_are_views_on_each_member()
    {
        var p = Parse(("Tags.member.1.Key", "env"), ("Tags.member.1.Value", "prod"), ("Tags.member.2.Key", "team"));

        var tags = p.GetStructList("Tags")!;

        Assert.Equal(2, tags.Count);
        Assert.Equal(("env", "prod"), (tags[0].Get("Key"), tags[0].Get("Value")));
        Assert.Equal("team", tags[1].Get("Key"));
        Assert.Null(tags[1].Get("Value"));
        Assert.Equal("Tags.member.2.", tags[1].Prefix);
    }

    [Fact]
    public void Nested_structures_and_lists_read_through_views()
    {
        var p = Parse(
            ("Actions.member.1.Type", "fixed-response"),
            ("Actions.member.2.Type", "forward"),
            ("Actions.member.2.ForwardConfig.TargetGroups.member.1.TargetGroupArn", "arn-1"),
            ("Actions.member.2.ForwardConfig.TargetGroups.member.1.Weight", "10"),
            ("Actions.member.2.ForwardConfig.TargetGroups.member.2.TargetGroupArn", "arn-2"),
            ("Actions.member.2.ForwardConfig.TargetGroupStickinessConfig.Enabled", "true"));

        var forward = p.GetStructList("Actions")![1];
        var config = forward.GetStruct("ForwardConfig")!;
        var groups = config.GetStructList("TargetGroups")!;

        Assert.Equal("forward", forward.Get("Type"));
        Assert.Equal(["arn-1", "arn-2"], groups.Select(g => g.Get("TargetGroupArn")));
        Assert.Equal(10, groups[0].GetInt("Weight"));
        Assert.Null(groups[1].GetInt("Weight"));
        Assert.True(config.GetStruct("TargetGroupStickinessConfig")!.GetBool("Enabled"));
        Assert.Null(p.GetStructList("Actions")![0].GetStruct("ForwardConfig"));
        Assert.True(forward.Has("ForwardConfig"));
    }

    [Fact]
    public void Maps_read_entry_keys_and_values()
    {
        var p = Parse(
            ("Config.AuthenticationRequestExtraParams.entry.1.key", "prompt"),
            ("Config.AuthenticationRequestExtraParams.entry.1.value", "login"),
            ("Config.AuthenticationRequestExtraParams.entry.2.key", "display"),
            ("Config.AuthenticationRequestExtraParams.entry.2.value", "page"),
            ("Config.Other.entry.1.key", "no-value"),
            ("Empty", ""));

        var config = p.GetStruct("Config")!;

        Assert.Equal(new Dictionary<string, string> { ["prompt"] = "login", ["display"] = "page" }, config.GetMap("AuthenticationRequestExtraParams"));
        Assert.Equal(new Dictionary<string, string> { ["no-value"] = "" }, config.GetMap("Other"));
        Assert.Null(p.GetMap("Missing"));
        Assert.Empty(p.GetMap("Empty")!);
    }

    [Fact]
    public void Similar_names_do_not_leak_into_each_other()
    {
        var p = Parse(("Names.member.1", "a"), ("NamesExtra.member.1", "x"), ("Tag.Key", "k"));

        Assert.Equal(["a"], p.GetList("Names"));
        Assert.Null(p.GetStruct("Ta"));
        Assert.NotNull(p.GetStruct("Tag"));
    }

    [Fact]
    public void A_structure_list_read_as_a_scalar_list_is_a_validation_error_not_a_crash()
    {
        var error = Assert.Throws<ApiException>(() => Parse(("Subnets.member.1.SubnetId", "subnet-a")).GetList("Subnets"));

        Assert.Equal("ValidationError", error.Code);
    }

    [Theory]
    [InlineData("", "Subnets", "subnets")]
    [InlineData("", "LoadBalancerArn", "loadBalancerArn")]
    [InlineData("Tags.member.1.", "Key", "tags.1.member.key")]
    [InlineData("Actions.member.2.ForwardConfig.TargetGroups.member.1.", "Weight", "actions.2.member.forwardConfig.targetGroups.1.member.weight")]
    public void Member_names_in_errors_use_the_aws_spelling(string prefix, string name, string expected)
    {
        var p = new QueryParameters(new Dictionary<string, string>(), prefix);

        Assert.Equal(expected, p.MemberName(name));
    }
}
