using Elbe.Model.Resources;
using Elbe.Routing.Rules;
using static Elbe.Routing.Tests.Rules.RequestBuilder;

namespace Elbe.Routing.Tests.Rules;

public class ConditionMatcherTests
{
    [Theory]
    [InlineData("www.example.com", true)]
    [InlineData("WWW.Example.COM", true)]
    [InlineData("www.example.com:8080", true)]
    [InlineData("www.example.org", false)]
    [InlineData("example.com", false)]
    public void Host_header_is_case_insensitive_and_ignores_the_port(string host, bool expected)
    {
        var m = new HostHeaderMatcher(["*.example.com"]);
        Assert.Equal(expected, m.Matches(Request(host: host)));
    }

    [Fact]
    public void Host_header_missing_never_matches()
    {
        Assert.False(new HostHeaderMatcher(["*"]).Matches(Request(host: null)));
    }

    [Theory]
    [InlineData("[2001:db8::1]:8443", "[2001:db8::1]")]
    [InlineData("[2001:db8::1]", "[2001:db8::1]")]
    [InlineData("example.com:80", "example.com")]
    [InlineData("example.com", "example.com")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    public void Host_without_port_handles_ipv6_literals(string host, string expected)
    {
        Assert.Equal(expected, HostHeaderMatcher.HostWithoutPort(host).ToString());
    }

    [Fact]
    public void Host_header_values_are_ored()
    {
        var m = new HostHeaderMatcher(["a.example.com", "b.example.com"]);
        Assert.True(m.Matches(Request(host: "b.example.com")));
        Assert.False(m.Matches(Request(host: "c.example.com")));
    }

    [Theory]
    [InlineData("/api/users", true)]
    [InlineData("/API/users", false)]
    [InlineData("/api", false)]
    [InlineData("/api/a%20b", true)]
    public void Path_pattern_is_case_sensitive(string path, bool expected)
    {
        Assert.Equal(expected, new PathPatternMatcher(["/api/*"]).Matches(Request(path: path)));
    }

    [Fact]
    public void Path_pattern_never_sees_the_query_string()
    {
        var m = new PathPatternMatcher(["*debug*"]);
        Assert.False(m.Matches(Request(path: "/index", query: "debug=1")));
    }

    [Fact]
    public void Path_pattern_is_not_percent_decoded()
    {
        Assert.False(new PathPatternMatcher(["/a b"]).Matches(Request(path: "/a%20b")));
        Assert.True(new PathPatternMatcher(["/a%20b"]).Matches(Request(path: "/a%20b")));
    }

    [Theory]
    [InlineData("GET", true)]
    [InlineData("get", false)]
    [InlineData("GETX", false)]
    [InlineData("CUSTOM_METHOD", true)]
    public void Method_is_exact_and_case_sensitive(string method, bool expected)
    {
        Assert.Equal(expected, new HttpRequestMethodMatcher(["GET", "CUSTOM_METHOD"]).Matches(Request(method: method)));
    }

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("10.255.255.255", true)]
    [InlineData("11.0.0.1", false)]
    [InlineData("::ffff:10.1.2.3", true)]
    [InlineData("::ffff:11.1.2.3", false)]
    [InlineData("192.168.1.7", true)]
    [InlineData("192.168.1.8", false)]
    [InlineData("2001:db8:aaaa::1", true)]
    [InlineData("2001:db9::1", false)]
    [InlineData("::10.1.2.3", false)]
    public void Source_ip_matches_v4_v6_and_mapped(string remote, bool expected)
    {
        var m = new SourceIpMatcher(["10.0.0.0/8", "192.168.1.7/32", "2001:db8::/32"]);
        Assert.Equal(expected, m.Matches(Request(remote: remote)));
    }

    [Theory]
    [InlineData("0.0.0.0/0", "203.0.113.1", true)]
    [InlineData("0.0.0.0/0", "2001:db8::1", false)]
    [InlineData("::/0", "2001:db8::1", true)]
    [InlineData("2001:db8::1/128", "2001:db8::1", true)]
    [InlineData("2001:db8::1/128", "2001:db8::2", false)]
    [InlineData("2001:db8:0:0:8000::/65", "2001:db8::8000:0:0:1", true)]
    [InlineData("2001:db8:0:0:8000::/65", "2001:db8::7fff:0:0:1", false)]
    [InlineData("10.1.2.3/8", "10.9.9.9", true)]
    public void Source_ip_prefix_edges(string cidr, string remote, bool expected)
    {
        Assert.Equal(expected, new SourceIpMatcher([cidr]).Matches(Request(remote: remote)));
    }

    [Theory]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.0/33")]
    [InlineData("::/129")]
    [InlineData("nope/8")]
    [InlineData("10.0.0.0/-1")]
    public void Source_ip_rejects_bad_cidrs(string cidr)
    {
        Assert.False(SourceIpBlock.TryParse(cidr, out _));
    }

    [Fact]
    public void Http_header_tries_every_occurrence_and_ignores_name_case()
    {
        var m = new HttpHeaderMatcher("x-env", ["prod*"]);
        Assert.True(m.Matches(Request(headers: [("X-Env", "dev"), ("X-ENV", "Production")])));
        Assert.False(m.Matches(Request(headers: [("X-Env", "dev"), ("X-Env", "staging")])));
        Assert.False(m.Matches(Request(headers: [("X-Other", "prod")])));
    }

    [Fact]
    public void Http_header_does_not_split_on_commas()
    {
        var m = new HttpHeaderMatcher("Accept", ["text/html"]);
        Assert.False(m.Matches(Request(headers: [("Accept", "text/html, application/json")])));
        Assert.True(new HttpHeaderMatcher("Accept", ["text/html*"]).Matches(Request(headers: [("Accept", "text/html, application/json")])));
    }

    [Theory]
    [InlineData("version=v1", true)]
    [InlineData("VERSION=V1", true)]
    [InlineData("a=b&version=v1&c=d", true)]
    [InlineData("version=v2", false)]
    [InlineData("other=v1", false)]
    [InlineData("v1", false)]
    [InlineData("", false)]
    public void Query_string_key_and_value(string query, bool expected)
    {
        var m = new QueryStringMatcher([new QueryStringPair("version", "v1")]);
        Assert.Equal(expected, m.Matches(Request(query: query)));
    }

    [Theory]
    [InlineData("anykey=example", true)]
    [InlineData("x=1&y=my-example-value", true)]
    [InlineData("example", true)]
    [InlineData("example=1", false)]
    public void Query_string_value_without_key_matches_any_key(string query, bool expected)
    {
        var m = new QueryStringMatcher([new QueryStringPair(null, "*example*")]);
        Assert.Equal(expected, m.Matches(Request(query: query)));
    }

    [Fact]
    public void Query_string_segment_without_equals_has_no_key()
    {
        var keyed = new QueryStringMatcher([new QueryStringPair("*", "debug")]);
        Assert.False(keyed.Matches(Request(query: "debug")));
        Assert.True(keyed.Matches(Request(query: "x=debug")));
        Assert.True(new QueryStringMatcher([new QueryStringPair("k", "")]).Matches(Request(query: "k=")));
    }

    [Theory]
    [InlineData("q=a%20b", true)]
    [InlineData("q=a+b", true)]
    [InlineData("q=a b", true)]
    [InlineData("q=A%20B", true)]
    [InlineData("%71=a%20b", true)]
    [InlineData("q=a%2", false)]
    [InlineData("q=ab", false)]
    public void Query_string_is_percent_decoded(string query, bool expected)
    {
        var m = new QueryStringMatcher([new QueryStringPair("q", "a b")]);
        Assert.Equal(expected, m.Matches(Request(query: query)));
    }

    [Fact]
    public void Query_string_decodes_utf8_and_keeps_invalid_escapes()
    {
        Assert.True(new QueryStringMatcher([new QueryStringPair("q", "caf\u00e9")]).Matches(Request(query: "q=caf%C3%A9")));
        Assert.True(new QueryStringMatcher([new QueryStringPair("q", "100%zz")]).Matches(Request(query: "q=100%zz")));
        Assert.False(new QueryStringMatcher([new QueryStringPair("q", "*")]).Matches(Request(query: "q=a%00b")));
    }

    [Fact]
    public void Query_string_escaped_wildcards_are_literal()
    {
        var m = new QueryStringMatcher([new QueryStringPair("q", @"what\?")]);
        Assert.True(m.Matches(Request(query: "q=what%3F")));
        Assert.False(m.Matches(Request(query: "q=whatx")));
    }

    [Fact]
    public void Query_string_long_values_use_pooled_buffers()
    {
        var longValue = new string('x', 1000);
        var m = new QueryStringMatcher([new QueryStringPair("q", "x*x")]);
        Assert.True(m.Matches(Request(query: "q=" + longValue.Replace("xx", "x%78", StringComparison.Ordinal))));
    }

    [Fact]
    public void Query_string_values_are_ored()
    {
        var m = new QueryStringMatcher([new QueryStringPair("a", "1"), new QueryStringPair("b", "2")]);
        Assert.True(m.Matches(Request(query: "b=2")));
        Assert.False(m.Matches(Request(query: "a=2&b=1")));
    }

    [Fact]
    public void Compiler_builds_the_matcher_for_each_field()
    {
        Assert.IsType<HostHeaderMatcher>(ConditionMatcherCompiler.Compile(new RuleCondition { Field = "host-header", Values = ["a.example.com"] }));
        Assert.IsType<PathPatternMatcher>(ConditionMatcherCompiler.Compile(new RuleCondition { Field = "path-pattern", Values = ["/"] }));
        Assert.IsType<HttpRequestMethodMatcher>(ConditionMatcherCompiler.Compile(new RuleCondition { Field = "http-request-method", Values = ["GET"] }));
        Assert.IsType<SourceIpMatcher>(ConditionMatcherCompiler.Compile(new RuleCondition { Field = "source-ip", Values = ["10.0.0.0/8"] }));
        Assert.IsType<HttpHeaderMatcher>(ConditionMatcherCompiler.Compile(new RuleCondition { Field = "http-header", HttpHeaderName = "X", Values = ["a"] }));
        Assert.IsType<QueryStringMatcher>(ConditionMatcherCompiler.Compile(new RuleCondition { Field = "query-string", QueryStringValues = [new QueryStringPair(null, "a")] }));
        Assert.Throws<ArgumentException>(() => ConditionMatcherCompiler.Compile(new RuleCondition { Field = "cookie", Values = ["a"] }));
    }
}
