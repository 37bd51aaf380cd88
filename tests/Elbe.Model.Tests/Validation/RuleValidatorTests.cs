using Elbe.Model.Resources;
using Elbe.Model.Validation;
using static Elbe.Model.Tests.Validation.SampleConfiguration;

namespace Elbe.Model.Tests.Validation;

public class RuleValidatorTests
{
    private static ListenerRule With(params RuleCondition[] conditions) => Rule(1) with { Conditions = [.. conditions] };
    private static RuleCondition Cond(string field, params string[] values) => new() { Field = field, Values = [.. values] };
    private static RuleCondition Header(string name, params string[] values) => new() { Field = ConditionFields.HttpHeader, HttpHeaderName = name, Values = [.. values] };
    private static RuleCondition Query(params QueryStringPair[] pairs) => new() { Field = ConditionFields.QueryString, QueryStringValues = [.. pairs] };

    private static ModelValidationException Single(ListenerRule rule, string? protocol = null)
    {
        var errors = RuleValidator.Collect(rule, protocol);
        Assert.Single(errors);
        return errors[0];
    }

    [Fact]
    public void A_valid_rule_passes()
    {
        var rule = With(
            Cond(ConditionFields.HostHeader, "*.example.com", "example.com"),
            Cond(ConditionFields.PathPattern, "/api/*"),
            Header("X-Env", "prod"),
            Query(new QueryStringPair(null, @"a\*b")));
        Assert.Empty(RuleValidator.Collect(rule));
        RuleValidator.Validate(rule);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(50001)]
    public void Priority_out_of_range(int priority)
    {
        var e = Single(Rule(1) with { Priority = priority });
        Assert.Equal("ValidationError", e.Code);
        Assert.Equal("Priority", e.Path);
        Assert.Equal(Rule(1).Arn, e.ResourceArn);
    }

    [Fact]
    public void Validate_throws_the_first_problem()
    {
        var ex = Assert.Throws<ModelValidationException>(() => RuleValidator.Validate(Rule(1) with { Priority = 0, Actions = [] }));
        Assert.Equal("Priority", ex.Path);
    }

    [Theory]
    [InlineData(ConditionFields.HostHeader, "a.example.com")]
    [InlineData(ConditionFields.PathPattern, "/a")]
    [InlineData(ConditionFields.HttpRequestMethod, "GET")]
    [InlineData(ConditionFields.SourceIp, "10.0.0.0/8")]
    public void At_most_one_of_each_singleton_condition(string field, string value)
    {
        var e = Single(With(Cond(field, value), Cond(field, value)));
        Assert.Equal("ValidationError", e.Code);
        Assert.Equal("Conditions[1]", e.Path);
    }

    [Fact]
    public void Header_and_query_conditions_may_repeat()
    {
        Assert.Empty(RuleValidator.Collect(With(Header("X-A", "1"), Header("X-B", "2"), Query(new QueryStringPair("a", "1")), Query(new QueryStringPair("b", "2")))));
    }

    [Fact]
    public void At_most_three_values_per_condition()
    {
        var e = Single(With(Cond(ConditionFields.PathPattern, "/a", "/b", "/c", "/d")));
        Assert.Equal("Conditions[0].PathPatternConfig.Values", e.Path);
    }

    [Fact]
    public void Source_ip_allows_five_values()
    {
        Assert.Empty(RuleValidator.Collect(With(Cond(ConditionFields.SourceIp, "10.0.0.0/8", "10.1.0.0/16", "::/0", "192.168.0.0/16", "1.2.3.4/32"))));
        var errors = RuleValidator.Collect(With(Cond(ConditionFields.SourceIp, "10.0.0.0/8", "10.1.0.0/16", "::/0", "192.168.0.0/16", "1.2.3.4/32", "5.6.7.8/32")));
        Assert.Contains(errors, e => e.Path == "Conditions[0].SourceIpConfig.Values");
        Assert.Contains(errors, e => e.Path == "Conditions");
    }

    [Fact]
    public void At_most_five_values_per_rule()
    {
        var e = Single(With(Cond(ConditionFields.PathPattern, "/a", "/b", "/c"), Cond(ConditionFields.HostHeader, "a.example.com", "b.example.com", "c.example.com")));
        Assert.Equal("Conditions", e.Path);
        Assert.Contains("5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void At_most_five_wildcards_per_rule()
    {
        Assert.Empty(RuleValidator.Collect(With(Cond(ConditionFields.PathPattern, "/*/*/*"), Query(new QueryStringPair("?", @"*\*")))));
        var e = Single(With(Cond(ConditionFields.PathPattern, "/*/*/*"), Cond(ConditionFields.HostHeader, "*.?.*.example.com"), Cond(ConditionFields.HttpRequestMethod, "GET")));
        Assert.Equal("Conditions", e.Path);
    }

    [Fact]
    public void Empty_condition_and_empty_value_are_refused()
    {
        Assert.Equal("Conditions[0].HostHeaderConfig.Values", Single(With(Cond(ConditionFields.HostHeader))).Path);
        Assert.Equal("Conditions[0].PathPatternConfig.Values[1]", Single(With(Cond(ConditionFields.PathPattern, "/a", ""))).Path);
    }

    [Fact]
    public void Unknown_field_is_refused()
    {
        Assert.Equal("Conditions[0].Field", Single(With(Cond("cookie", "a"))).Path);
    }

    [Theory]
    [InlineData("example")]
    [InlineData("exa_mple.com")]
    [InlineData("example.com.")]
    [InlineData("example.c-m")]
    public void Bad_host_values(string value)
    {
        Assert.Equal("Conditions[0].HostHeaderConfig.Values[0]", Single(With(Cond(ConditionFields.HostHeader, value))).Path);
    }

    [Fact]
    public void Long_values_are_refused()
    {
        Assert.Single(RuleValidator.Collect(With(Cond(ConditionFields.PathPattern, "/" + new string('a', 128)))));
        Assert.Empty(RuleValidator.Collect(With(Cond(ConditionFields.PathPattern, "/" + new string('a', 127)))));
    }

    [Theory]
    [InlineData("/a b")]
    [InlineData("/a%20b")]
    [InlineData("/a#b")]
    public void Bad_path_characters(string value)
    {
        Assert.Single(RuleValidator.Collect(With(Cond(ConditionFields.PathPattern, value))));
    }

    [Theory]
    [InlineData("get", false)]
    [InlineData("CUSTOM_METHOD-1", false)]
    [InlineData("CUSTOM_METHOD-X", true)]
    public void Method_charset(string method, bool valid)
    {
        Assert.Equal(valid, RuleValidator.Collect(With(Cond(ConditionFields.HttpRequestMethod, method))).Count == 0);
    }

    [Fact]
    public void Method_length_limit()
    {
        Assert.Single(RuleValidator.Collect(With(Cond(ConditionFields.HttpRequestMethod, new string('A', 41)))));
    }

    [Theory]
    [InlineData("Host")]
    [InlineData("host")]
    [InlineData("X Env")]
    [InlineData("X-*")]
    [InlineData("")]
    public void Bad_header_names(string name)
    {
        Assert.Equal("Conditions[0].HttpHeaderConfig.HttpHeaderName", Single(With(Header(name, "v"))).Path);
    }

    [Fact]
    public void Header_name_length_limit()
    {
        Assert.Single(RuleValidator.Collect(With(Header(new string('x', 41), "v"))));
    }

    [Theory]
    [InlineData("255.255.255.255/32")]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0/8")]
    [InlineData("2001:db8::/129")]
    public void Bad_source_ips(string cidr)
    {
        Assert.Equal("Conditions[0].SourceIpConfig.Values[0]", Single(With(Cond(ConditionFields.SourceIp, cidr))).Path);
    }

    [Fact]
    public void Query_key_and_value_paths()
    {
        Assert.Equal("Conditions[0].QueryStringConfig.Values[1].Key", Single(With(Query(new QueryStringPair("a", "1"), new QueryStringPair("", "2")))).Path);
        Assert.Equal("Conditions[0].QueryStringConfig.Values[0].Value", Single(With(Query(new QueryStringPair("a", "")))).Path);
    }

    [Fact]
    public void Counts_wildcards_respecting_escapes()
    {
        Assert.Equal(2, RuleValidator.CountWildcards(@"*\*?\?", escapes: true));
        Assert.Equal(4, RuleValidator.CountWildcards(@"*\*?\?", escapes: false));
    }
}
