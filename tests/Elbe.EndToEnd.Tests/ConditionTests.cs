using System.Net;
using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests;

/// <summary>
/// Listener rule conditions over real traffic. Each rule answers a fixed response naming itself, the default
/// action forwards to a backend, so the body says exactly which rule a request matched.
/// </summary>
public sealed class ConditionTests(ConditionTests.RulesFixture rules) : IClassFixture<ConditionTests.RulesFixture>
{
    private const string DefaultAnswer = "backend=default";

    [Theory]
    [InlineData("www.example.com", "host-wildcard")]
    [InlineData("WWW.EXAMPLE.COM", "host-wildcard")]
    [InlineData("a.b.example.com", "host-wildcard")]
    [InlineData("shop.example.com:8080", "host-wildcard")]
    [InlineData("example.com", DefaultAnswer)]
    [InlineData("www.example.com.evil.net", DefaultAnswer)]
    [InlineData("api7.example.org", "host-single-char")]
    [InlineData("APIx.Example.Org", "host-single-char")]
    [InlineData("api.example.org", DefaultAnswer)]
    [InlineData("api12.example.org", DefaultAnswer)]
    public async Task Host_header_matches_wildcards_case_insensitively(string host, string expected)
    {
        var matched = await rules.MatchAsync(HttpMethod.Get, "/", request => request.Headers.Host = host);
        Assert.Equal(expected, matched);
    }

    [Theory]
    [InlineData("/img/cat.png", "path-png")]
    [InlineData("/img/cats/tabby.png", "path-png")]
    [InlineData("/img/cat.png?size=large", "path-png")]
    [InlineData("/IMG/cat.png", DefaultAnswer)]
    [InlineData("/img/cat.PNG", DefaultAnswer)]
    [InlineData("/img/cat.png/raw", DefaultAnswer)]
    [InlineData("/search?file=/img/cat.png", DefaultAnswer)]
    public async Task Path_pattern_matches_wildcards_case_sensitively_and_ignores_the_query(string pathAndQuery, string expected)
    {
        Assert.Equal(expected, await rules.MatchAsync(HttpMethod.Get, pathAndQuery));
    }

    [Theory]
    [InlineData("DELETE", "method")]
    [InlineData("PURGE", "method")]
    [InlineData("GET", DefaultAnswer)]
    [InlineData("POST", DefaultAnswer)]
    public async Task Http_request_method_matches_any_listed_method_exactly(string method, string expected)
    {
        Assert.Equal(expected, await rules.MatchAsync(new HttpMethod(method), "/method-probe"));
    }

    [Theory]
    [InlineData(7, 9, "source-ip")]
    [InlineData(7, 200, "source-ip")]
    [InlineData(8, 9, DefaultAnswer)]
    public async Task Source_ip_matches_the_connection_peer_against_a_cidr(int third, int fourth, string expected)
    {
        using var client = BoundHttpClient.Create(LoopbackSubnets.ClientAddress(third, fourth));
        Assert.Equal(expected, await rules.MatchAsync(HttpMethod.Get, "/source-probe", client: client));
    }

    [Fact]
    public async Task Source_ip_ignores_x_forwarded_for()
    {
        using var client = BoundHttpClient.Create(LoopbackSubnets.ClientAddress(8, 9));
        var matched = await rules.MatchAsync(HttpMethod.Get, "/source-probe", request => request.Headers.Add("X-Forwarded-For", "127.250.7.9"), client);
        Assert.Equal(DefaultAnswer, matched);
    }

    [Theory]
    [InlineData("X-Client-Tier", "gold", "header")]
    [InlineData("X-Client-Tier", "gold-member", "header")]
    [InlineData("x-client-tier", "GOLDEN", "header")]
    [InlineData("X-CLIENT-TIER", "Platinum", "header")]
    [InlineData("X-Client-Tier", "silver", DefaultAnswer)]
    [InlineData("X-Client-Tier", "platinum-plus", DefaultAnswer)]
    [InlineData("X-Other-Tier", "gold", DefaultAnswer)]
    public async Task Http_header_matches_name_and_value_case_insensitively_with_value_wildcards(string name, string value, string expected)
    {
        var matched = await rules.MatchAsync(HttpMethod.Get, "/header-probe", request => request.Headers.TryAddWithoutValidation(name, value));
        Assert.Equal(expected, matched);
    }

    [Theory]
    [InlineData("/query-probe?version=v2", "query-keyed")]
    [InlineData("/query-probe?a=1&version=V2", "query-keyed")]
    [InlineData("/query-probe?version=v3", DefaultAnswer)]
    [InlineData("/query-probe?other=v2", DefaultAnswer)]
    [InlineData("/query-probe?channel=beta", "query-keyless")]
    [InlineData("/query-probe?anything=BETA", "query-keyless")]
    [InlineData("/query-probe?channel=betamax", DefaultAnswer)]
    [InlineData("/query-probe?q=a%20b", "query-decoded")]
    [InlineData("/query-probe?q=ab", DefaultAnswer)]
    [InlineData("/query-probe", DefaultAnswer)]
    public async Task Query_string_matches_keyed_and_keyless_pairs_after_percent_decoding(string pathAndQuery, string expected)
    {
        Assert.Equal(expected, await rules.MatchAsync(HttpMethod.Get, pathAndQuery));
    }

    [Theory]
    [InlineData("and.example.net", "/both", "and")]
    [InlineData("and.example.net", "/neither", DefaultAnswer)]
    [InlineData("other.example.net", "/both", DefaultAnswer)]
    public async Task Different_conditions_of_one_rule_must_all_match(string host, string path, string expected)
    {
        var matched = await rules.MatchAsync(HttpMethod.Get, path, request => request.Headers.Host = host);
        Assert.Equal(expected, matched);
    }

    [Fact]
    public async Task The_lowest_priority_number_wins_when_two_rules_match()
    {
        // Both rules match /priority/x; the template lists priority 81 first so file order cannot be what decides.
        Assert.Equal("priority-80", await rules.MatchAsync(HttpMethod.Get, "/priority/x"));
        Assert.Equal("priority-80", await rules.MatchAsync(HttpMethod.Get, "/priority/y"));
    }

    [Fact]
    public async Task A_request_no_rule_matches_gets_the_default_action()
    {
        using var response = await rules.Harness.GetAsync("/nothing/matches/this");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("default", response.Headers.GetValues("X-Backend").Single());
        Assert.Equal(DefaultAnswer, await response.Content.ReadAsStringAsync());
    }

    public sealed class RulesFixture : IAsyncLifetime
    {
        private BackendServer? backend;
        private ElbeHarness? harness;

        public ElbeHarness Harness => harness ?? throw new InvalidOperationException("The fixture did not start.");

        public async Task InitializeAsync()
        {
            backend = await BackendServer.StartAsync("default");
            var template = new CfnTemplate()
                .LoadBalancer()
                .TargetGroup("Default", [backend.Port])
                .Listener(CfnActions.Forward("Default"))
                .Rule("HostWildcard", 10, """
                    - Field: host-header
                      HostHeaderConfig:
                        Values: ['*.example.com']
                    """, CfnActions.FixedResponse(200, "host-wildcard"))
                .Rule("HostSingleChar", 11, """
                    - Field: host-header
                      HostHeaderConfig:
                        Values: [api?.example.org]
                    """, CfnActions.FixedResponse(200, "host-single-char"))
                .Rule("PathPng", 20, """
                    - Field: path-pattern
                      PathPatternConfig:
                        Values: ['/img/*.png']
                    """, CfnActions.FixedResponse(200, "path-png"))
                .Rule("Method", 30, """
                    - Field: http-request-method
                      HttpRequestMethodConfig:
                        Values: [DELETE, PURGE]
                    """, CfnActions.FixedResponse(200, "method"))
                .Rule("SourceIp", 40, """
                    - Field: source-ip
                      SourceIpConfig:
                        Values: [127.250.7.0/24]
                    """, CfnActions.FixedResponse(200, "source-ip"))
                .Rule("Header", 50, """
                    - Field: http-header
                      HttpHeaderConfig:
                        HttpHeaderName: X-Client-Tier
                        Values: ['gold*', platinum]
                    """, CfnActions.FixedResponse(200, "header"))
                .Rule("QueryKeyed", 60, """
                    - Field: query-string
                      QueryStringConfig:
                        Values:
                          - Key: version
                            Value: v2
                    """, CfnActions.FixedResponse(200, "query-keyed"))
                .Rule("QueryKeyless", 61, """
                    - Field: query-string
                      QueryStringConfig:
                        Values:
                          - Value: beta
                    """, CfnActions.FixedResponse(200, "query-keyless"))
                .Rule("QueryDecoded", 62, """
                    - Field: query-string
                      QueryStringConfig:
                        Values:
                          - Key: q
                            Value: a b
                    """, CfnActions.FixedResponse(200, "query-decoded"))
                .Rule("HostAndPath", 70, """
                    - Field: host-header
                      HostHeaderConfig:
                        Values: [and.example.net]
                    - Field: path-pattern
                      PathPatternConfig:
                        Values: [/both]
                    """, CfnActions.FixedResponse(200, "and"))
                .Rule("PriorityLater", 81, """
                    - Field: path-pattern
                      PathPatternConfig:
                        Values: [/priority/x]
                    """, CfnActions.FixedResponse(200, "priority-81"))
                .Rule("PriorityFirst", 80, """
                    - Field: path-pattern
                      PathPatternConfig:
                        Values: ['/priority/*']
                    """, CfnActions.FixedResponse(200, "priority-80"));
            harness = await ElbeHarness.StartAsync(template.ToString());
            await harness.WaitForHealthyAsync("Default", backend.Port);
        }

        /// <summary>Returns the fixed-response body of the rule that matched, or the default backend's body.</summary>
        public async Task<string> MatchAsync(HttpMethod method, string pathAndQuery, Action<HttpRequestMessage>? configure = null, HttpClient? client = null)
        {
            using var request = new HttpRequestMessage(method, Harness.Url(pathAndQuery));
            configure?.Invoke(request);
            using var response = await (client ?? Harness.Client).SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {pathAndQuery} answered {(int)response.StatusCode}: {body}");
            return body;
        }

        public async Task DisposeAsync()
        {
            if (harness is not null)
                await harness.DisposeAsync();
            if (backend is not null)
                await backend.DisposeAsync();
        }
    }
}
