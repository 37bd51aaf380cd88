using Elbe.Model.Resources;
using Elbe.Routing.Rules;
using static Elbe.Routing.Tests.Rules.RequestBuilder;

namespace Elbe.Routing.Tests.Rules;

public class CompiledRuleSetTests
{
    private static ListenerRule Rule(int priority, params RuleCondition[] conditions) => new()
    {
        Arn = "arn:rule/" + priority,
        ListenerArn = "arn:listener",
        Priority = priority,
        Conditions = [.. conditions],
    };

    private static RuleCondition Path(params string[] values) => new() { Field = ConditionFields.PathPattern, Values = [.. values] };
    private static RuleCondition Host(params string[] values) => new() { Field = ConditionFields.HostHeader, Values = [.. values] };

    [Fact]
    public void Lowest_matching_priority_wins_regardless_of_input_order()
    {
        var set = new CompiledRuleSet<string>("default",
        [
            (Rule(20, Path("/api/*")), "broad"),
            (Rule(10, Path("/api/v2/*")), "narrow"),
        ]);

        var hit = set.Match(Request(path: "/api/v2/users"));
        Assert.Equal("narrow", hit.Payload);
        Assert.Equal(10, hit.Priority);
        Assert.False(hit.IsDefault);
        Assert.Equal("arn:rule/10", hit.RuleArn);
        Assert.Equal("broad", set.Match(Request(path: "/api/v1/users")).Payload);
        Assert.Equal([10, 20, 0], set.Rules.Select(r => r.Priority));
    }

    [Fact]
    public void Default_rule_matches_last_with_priority_zero()
    {
        var set = new CompiledRuleSet<string>("default", [(Rule(1, Path("/x")), "x")]);
        var hit = set.Match(Request(path: "/y"));
        Assert.True(hit.IsDefault);
        Assert.Equal(0, hit.Priority);
        Assert.Null(hit.RuleArn);
        Assert.Equal("default", hit.Payload);
        Assert.Same(set.DefaultRule, hit);
    }

    [Fact]
    public void Empty_rule_list_always_gives_the_default()
    {
        var set = new CompiledRuleSet<int>(7, []);
        Assert.Equal(7, set.Match(Request()).Payload);
        Assert.Single(set.Rules);
    }

    [Fact]
    public void Conditions_are_anded_values_are_ored()
    {
        var set = new CompiledRuleSet<string>("default",
        [
            (Rule(1, Host("a.example.com", "b.example.com"), Path("/app/*")), "app"),
        ]);
        Assert.Equal("app", set.Match(Request(host: "b.example.com", path: "/app/x")).Payload);
        Assert.Equal("default", set.Match(Request(host: "c.example.com", path: "/app/x")).Payload);
        Assert.Equal("default", set.Match(Request(host: "a.example.com", path: "/other")).Payload);
    }

    [Fact]
    public void Two_conditions_of_the_same_kind_require_both()
    {
        var set = new CompiledRuleSet<string>("default",
        [
            (Rule(1,
                new RuleCondition { Field = ConditionFields.HttpHeader, HttpHeaderName = "X-A", Values = ["1"] },
                new RuleCondition { Field = ConditionFields.HttpHeader, HttpHeaderName = "X-B", Values = ["2"] }), "both"),
        ]);
        Assert.Equal("both", set.Match(Request(headers: [("X-A", "1"), ("X-B", "2")])).Payload);
        Assert.Equal("default", set.Match(Request(headers: [("X-A", "1")])).Payload);
    }

    [Fact]
    public void A_rule_without_conditions_matches_everything()
    {
        var set = new CompiledRuleSet<string>("default", [(Rule(5), "catch-all"), (Rule(9, Path("/")), "later")]);
        Assert.Equal("catch-all", set.Match(Request(path: "/")).Payload);
    }

    [Fact]
    public void Duplicate_priorities_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new CompiledRuleSet<string>("d", [(Rule(3, Path("/a")), "a"), (Rule(3, Path("/b")), "b")]));
    }

    [Fact]
    public void Match_does_not_allocate()
    {
        var set = new CompiledRuleSet<string>("default",
        [
            (Rule(1, Host("*.example.com"), Path("/nomatch/*")), "a"),
            (Rule(2, new RuleCondition { Field = ConditionFields.QueryString, QueryStringValues = [new QueryStringPair("q", "a b")] }), "b"),
            (Rule(3, new RuleCondition { Field = ConditionFields.SourceIp, Values = ["10.0.0.0/8", "2001:db8::/32"] }), "c"),
            (Rule(4, new RuleCondition { Field = ConditionFields.HttpHeader, HttpHeaderName = "X-Env", Values = ["prod"] }), "d"),
        ]);
        var request = Request(host: "www.example.com:8080", path: "/x", query: "a=1&q=a%20c", remote: "::ffff:192.0.2.1",
            headers: [("X-Env", "dev"), ("X-Env", "test")]);

        Assert.Equal("default", set.Match(request).Payload); // warm up
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) set.Match(request);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
