using System.Xml.Linq;
using Elbe.Api.Tests.Infrastructure;
using static Elbe.Api.Tests.LoadBalancers.LoadBalancerCalls;

namespace Elbe.Api.Tests.Account;

/// <summary>DescribeSSLPolicies, DescribeAccountLimits and GetResourcePolicy over signed HTTP and through the AWS CLI.</summary>
public sealed class AccountApiTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    private SignedApiClient Client => server.Client;

    private static string[] Texts(XElement parent, string listName) =>
        ApiResponse.Members(parent.Elements().Single(e => e.Name.LocalName == listName)).Select(m => m.Value).ToArray();

    /// <summary>A direct child's text: a policy's own Name, not its ciphers' names.</summary>
    private static string? Own(XElement parent, string localName) => parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName)?.Value;

    private static (string Name, string Priority)[] Ciphers(XElement policy) =>
        ApiResponse.Members(policy.Elements().Single(e => e.Name.LocalName == "Ciphers"))
            .Select(c => (ApiResponse.Child(c, "Name")!, ApiResponse.Child(c, "Priority")!)).ToArray();

    private async Task<XElement> PolicyAsync(string name)
    {
        var response = (await Client.CallAsync("DescribeSSLPolicies", new ApiRequestParameters().List("Names", name))).AssertSuccess("DescribeSSLPolicies");
        Assert.Null(response.Element("NextMarker"));
        return Assert.Single(response.Members("SslPolicies"));
    }

    [Fact]
    public async Task The_default_policy_offers_tls_1_0_to_1_2_with_eighteen_ciphers_in_order()
    {
        var policy = await PolicyAsync("ELBSecurityPolicy-2016-08");

        Assert.Equal("ELBSecurityPolicy-2016-08", Own(policy, "Name"));
        Assert.Equal(["TLSv1", "TLSv1.1", "TLSv1.2"], Texts(policy, "SslProtocols"));
        Assert.Equal(["application", "network"], Texts(policy, "SupportedLoadBalancerTypes"));
        var ciphers = Ciphers(policy);
        Assert.Equal(18, ciphers.Length);
        Assert.Equal(("ECDHE-ECDSA-AES128-GCM-SHA256", "1"), ciphers[0]);
        Assert.Equal(("ECDHE-RSA-AES128-GCM-SHA256", "2"), ciphers[1]);
        Assert.Equal(("ECDHE-RSA-AES256-SHA", "11"), ciphers[10]);
        Assert.Equal(("AES256-SHA", "18"), ciphers[17]);
        Assert.DoesNotContain(ciphers, c => c.Name == "DES-CBC3-SHA" || c.Name.StartsWith("TLS_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_tls13_1_2_policy_offers_tls_1_2_and_1_3_with_eleven_ciphers()
    {
        var policy = await PolicyAsync("ELBSecurityPolicy-TLS13-1-2-2021-06");

        Assert.Equal(["TLSv1.2", "TLSv1.3"], Texts(policy, "SslProtocols"));
        Assert.Equal(
        [
            ("TLS_AES_128_GCM_SHA256", "1"), ("TLS_AES_256_GCM_SHA384", "2"), ("TLS_CHACHA20_POLY1305_SHA256", "3"),
            ("ECDHE-ECDSA-AES128-GCM-SHA256", "4"), ("ECDHE-RSA-AES128-GCM-SHA256", "5"), ("ECDHE-ECDSA-AES128-SHA256", "6"),
            ("ECDHE-RSA-AES128-SHA256", "7"), ("ECDHE-ECDSA-AES256-GCM-SHA384", "8"), ("ECDHE-RSA-AES256-GCM-SHA384", "9"),
            ("ECDHE-ECDSA-AES256-SHA384", "10"), ("ECDHE-RSA-AES256-SHA384", "11"),
        ], Ciphers(policy));
    }

    [Fact]
    public async Task Other_policies_have_their_own_protocols_and_cipher_counts()
    {
        var tls13Only = await PolicyAsync("ELBSecurityPolicy-TLS13-1-3-2021-06");
        Assert.Equal(["TLSv1.3"], Texts(tls13Only, "SslProtocols"));
        Assert.Equal(3, Ciphers(tls13Only).Length);

        var legacy = await PolicyAsync("ELBSecurityPolicy-TLS-1-0-2015-04");
        Assert.Equal(("DES-CBC3-SHA", "19"), Ciphers(legacy)[^1]);

        var ext2 = Ciphers(await PolicyAsync("ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06"));
        Assert.Equal(21, ext2.Length);
        Assert.Equal(("ECDHE-ECDSA-AES256-SHA", "14"), ext2[13]);
        Assert.Equal(("ECDHE-RSA-AES256-SHA", "15"), ext2[14]);
    }

    [Fact]
    public async Task Describe_ssl_policies_filters_by_name_and_load_balancer_type()
    {
        var all = (await Client.CallAsync("DescribeSSLPolicies")).AssertSuccess("DescribeSSLPolicies");
        var names = all.Members("SslPolicies").Select(p => Own(p, "Name")).ToList();
        Assert.Equal(18, names.Count);
        Assert.Contains("ELBSecurityPolicy-FS-1-2-Res-2020-10", names);

        var two = (await Client.CallAsync("DescribeSSLPolicies", new ApiRequestParameters()
            .List("Names", "ELBSecurityPolicy-FS-2018-06", "ELBSecurityPolicy-2015-05"))).AssertSuccess();
        Assert.Equal(["ELBSecurityPolicy-FS-2018-06", "ELBSecurityPolicy-2015-05"], two.Members("SslPolicies").Select(p => Own(p, "Name")));

        var network = (await Client.CallAsync("DescribeSSLPolicies", new ApiRequestParameters().Add("LoadBalancerType", "network"))).AssertSuccess();
        Assert.Equal(18, network.Members("SslPolicies").Count);
        var gateway = (await Client.CallAsync("DescribeSSLPolicies", new ApiRequestParameters().Add("LoadBalancerType", "gateway"))).AssertSuccess();
        Assert.Empty(gateway.Members("SslPolicies"));

        (await Client.CallAsync("DescribeSSLPolicies", new ApiRequestParameters().List("Names", "ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-Nope")))
            .AssertError("SSLPolicyNotFound");
        (await Client.CallAsync("DescribeSSLPolicies", new ApiRequestParameters().Add("LoadBalancerType", "classic"))).AssertError("ValidationError");
    }

    [Fact]
    public async Task Describe_ssl_policies_pages_with_markers()
    {
        var seen = new List<string>();
        string? marker = null;
        var pages = 0;
        do
        {
            var p = new ApiRequestParameters().Add("PageSize", 7);
            if (marker is not null) p.Add("Marker", marker);
            var page = (await Client.CallAsync("DescribeSSLPolicies", p)).AssertSuccess();
            seen.AddRange(page.Members("SslPolicies").Select(m => Own(m, "Name")!));
            marker = page.Value("NextMarker");
            pages++;
        } while (marker is not null);

        Assert.Equal(3, pages);
        Assert.Equal(18, seen.Distinct().Count());
        (await Client.CallAsync("DescribeSSLPolicies", new ApiRequestParameters().Add("PageSize", 401))).AssertError("ValidationError");
    }

    /// <summary>
    /// ELBv2 calls its page size PageSize, which clashes with the CLI's own --page-size: given it, the CLI sends
    /// it as is and leaves paging to the caller through --marker, as it does against AWS.
    /// </summary>
    private async Task<List<System.Text.Json.JsonElement>> CliPagesAsync(string command, string resultKey, int pageSize, int expectedPages)
    {
        var items = new List<System.Text.Json.JsonElement>();
        string? marker = null;
        for (var page = 1; ; page++)
        {
            var arguments = new List<string> { "elbv2", command, "--page-size", pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            if (marker is not null) arguments.AddRange(["--marker", marker]);
            var json = (await server.Cli.RunAsync([.. arguments])).AssertSuccess().Json;
            items.AddRange(json.GetProperty(resultKey).EnumerateArray());
            marker = json.TryGetProperty("NextMarker", out var next) ? next.GetString() : null;
            if (marker is null)
            {
                Assert.Equal(expectedPages, page);
                return items;
            }
        }
    }

    [Fact]
    public async Task The_cli_pages_through_ssl_policies_and_filters_by_name()
    {
        var policies = await CliPagesAsync("describe-ssl-policies", "SslPolicies", 7, expectedPages: 3);
        Assert.Equal(18, policies.Select(p => p.GetProperty("Name").GetString()).Distinct().Count());

        // Without --page-size the CLI pages on its own; --max-items cuts the answer and hands out a NextToken.
        var firstFive = (await server.Cli.RunAsync("elbv2", "describe-ssl-policies", "--max-items", "5")).AssertSuccess().Json;
        Assert.Equal(5, firstFive.GetProperty("SslPolicies").GetArrayLength());
        var rest = (await server.Cli.RunAsync("elbv2", "describe-ssl-policies", "--starting-token", firstFive.GetProperty("NextToken").GetString()!))
            .AssertSuccess().Json;
        Assert.Equal(13, rest.GetProperty("SslPolicies").GetArrayLength());

        var one = (await server.Cli.RunAsync("elbv2", "describe-ssl-policies", "--names", "ELBSecurityPolicy-TLS13-1-2-2021-06")).AssertSuccess();
        var policy = Assert.Single(one.Json.GetProperty("SslPolicies").EnumerateArray());
        Assert.Equal(["TLSv1.2", "TLSv1.3"], policy.GetProperty("SslProtocols").EnumerateArray().Select(p => p.GetString()));
        var first = policy.GetProperty("Ciphers")[0];
        Assert.Equal("TLS_AES_128_GCM_SHA256", first.GetProperty("Name").GetString());
        Assert.Equal(1, first.GetProperty("Priority").GetInt32());

        (await server.Cli.RunAsync("elbv2", "describe-ssl-policies", "--names", "ELBSecurityPolicy-Nope")).AssertError("SSLPolicyNotFound");
    }

    [Fact]
    public async Task The_cli_lists_every_account_limit_with_string_maximums()
    {
        var all = (await server.Cli.RunAsync("elbv2", "describe-account-limits")).AssertSuccess().Json;
        Assert.False(all.TryGetProperty("NextMarker", out _));
        var limits = all.GetProperty("Limits").EnumerateArray().ToDictionary(l => l.GetProperty("Name").GetString()!, l => l.GetProperty("Max"));

        Assert.Equal(18, limits.Count);
        Assert.All(limits.Values, max => Assert.Equal(System.Text.Json.JsonValueKind.String, max.ValueKind));
        Assert.Equal("50", limits["application-load-balancers"].GetString());
        Assert.Equal("100", limits["rules-per-application-load-balancer"].GetString());
        Assert.Equal("3000", limits["target-groups"].GetString());
        Assert.Equal("1", limits["target-groups-per-action-on-network-load-balancer"].GetString());
        Assert.Equal("500", limits["targets-per-availability-zone-per-network-load-balancer"].GetString());

        var paged = await CliPagesAsync("describe-account-limits", "Limits", 10, expectedPages: 2);
        Assert.Equal(limits.Keys, paged.Select(l => l.GetProperty("Name").GetString()!));
    }

    [Fact]
    public async Task Describe_account_limits_pages_and_reports_max_as_text()
    {
        var first = (await Client.CallAsync("DescribeAccountLimits", new ApiRequestParameters().Add("PageSize", 10))).AssertSuccess("DescribeAccountLimits");
        Assert.Equal(10, first.Members("Limits").Count);
        var marker = first.Value("NextMarker");
        Assert.False(string.IsNullOrEmpty(marker));
        var second = (await Client.CallAsync("DescribeAccountLimits", new ApiRequestParameters().Add("PageSize", 10).Add("Marker", marker!))).AssertSuccess();
        Assert.Equal(8, second.Members("Limits").Count);
        Assert.Null(second.Element("NextMarker"));

        var limit = first.Members("Limits")[0];
        Assert.Equal("application-load-balancers", ApiResponse.Child(limit, "Name"));
        Assert.Equal("50", ApiResponse.Child(limit, "Max"));
    }

    [Fact]
    public async Task Get_resource_policy_is_empty_for_a_known_resource_and_not_found_otherwise()
    {
        var lbArn = await CreateArnAsync(Client, UniqueName.Next("rp"));

        var known = (await Client.CallAsync("GetResourcePolicy", new ApiRequestParameters().Add("ResourceArn", lbArn))).AssertSuccess("GetResourcePolicy");
        Assert.Empty(known.Element("GetResourcePolicyResult")!.Elements());

        var unknown = lbArn[..^16] + "0123456789abcdef";
        (await Client.CallAsync("GetResourcePolicy", new ApiRequestParameters().Add("ResourceArn", unknown))).AssertError("ResourceNotFound");
        (await Client.CallAsync("GetResourcePolicy", new ApiRequestParameters().Add("ResourceArn", "not-an-arn"))).AssertError("ResourceNotFound");
        (await Client.CallAsync("GetResourcePolicy")).AssertError("ValidationError");
    }
}
