using Elbe.Api.Tests.Infrastructure;
using Elbe.Api.Tests.TrustStores;
using static Elbe.Api.Tests.LoadBalancers.LoadBalancerCalls;

namespace Elbe.Api.Tests.Tags;

/// <summary>AddTags, RemoveTags and DescribeTags on every taggable kind, over signed HTTP and through the AWS CLI.</summary>
public sealed class TagApiTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>, IDisposable
{
    private readonly TrustStoreFiles _files = new();

    private SignedApiClient Client => server.Client;

    public void Dispose() => _files.Dispose();

    private Task<ApiResponse> AddTagsAsync(IEnumerable<string> arns, params (string Key, string Value)[] tags) =>
        Client.CallAsync("AddTags", new ApiRequestParameters().List("ResourceArns", arns).Tags(tags));

    private Task<ApiResponse> RemoveTagsAsync(IEnumerable<string> arns, params string[] keys) =>
        Client.CallAsync("RemoveTags", new ApiRequestParameters().List("ResourceArns", arns).List("TagKeys", keys));

    private Task<ApiResponse> DescribeTagsAsync(params string[] arns) =>
        Client.CallAsync("DescribeTags", new ApiRequestParameters().List("ResourceArns", arns));

    /// <summary>ResourceArn → its tags in order, from a DescribeTags answer.</summary>
    private async Task<Dictionary<string, List<(string Key, string Value)>>> TagsAsync(params string[] arns)
    {
        var response = (await DescribeTagsAsync(arns)).AssertSuccess("DescribeTags");
        return response.Members("TagDescriptions").ToDictionary(
            d => ApiResponse.Child(d, "ResourceArn")!,
            d => ApiResponse.Members(d.Elements().Single(e => e.Name.LocalName == "Tags"))
                .Select(t => (ApiResponse.Child(t, "Key")!, ApiResponse.Child(t, "Value") ?? "")).ToList());
    }

    /// <summary>One of each taggable kind: an ALB, a target group, an HTTP listener, a rule on it, a trust store.</summary>
    private async Task<(string LoadBalancer, string TargetGroup, string Listener, string Rule, string TrustStore)> ResourcesAsync()
    {
        var lb = await CreateArnAsync(Client, UniqueName.Next("tag"));
        var tg = await CreateTargetGroupAsync(Client, UniqueName.Next("tagtg"), "HTTP", 80);
        var listener = (await CreateListenerAsync(Client, lb, "HTTP", 80)).AssertSuccess("CreateListener").Value("ListenerArn")!;
        var rule = (await Client.CallAsync("CreateRule", new ApiRequestParameters()
            .Add("ListenerArn", listener).Add("Priority", 10)
            .StructList("Conditions", c => c.Add("Field", "path-pattern").Struct("PathPatternConfig", v => v.List("Values", "/tagged/*")))
            .StructList("Actions", a => a.Add("Type", "fixed-response").Struct("FixedResponseConfig", f => f.Add("StatusCode", "204")))))
            .AssertSuccess("CreateRule").Value("RuleArn")!;
        var key = _files.WriteBundle($"{UniqueName.Next("ca")}.pem", TrustStoreFiles.NewCa("Tag Test CA"));
        var trustStore = (await Client.CallAsync("CreateTrustStore", new ApiRequestParameters()
            .Add("Name", UniqueName.Next("tagts")).Add("CaCertificatesBundleS3Bucket", _files.Bucket).Add("CaCertificatesBundleS3Key", key)))
            .AssertSuccess("CreateTrustStore").Value("TrustStoreArn")!;
        return (lb, tg, listener, rule, trustStore);
    }

    [Fact]
    public async Task Tags_round_trip_on_every_kind_of_resource()
    {
        var (lb, tg, listener, rule, trustStore) = await ResourcesAsync();
        string[] all = [lb, tg, listener, rule, trustStore];

        var added = (await AddTagsAsync(all, ("env", "prod"), ("team", "edge"))).AssertSuccess("AddTags");
        Assert.Empty(added.Element("AddTagsResult")!.Elements());

        var described = await TagsAsync(all);
        Assert.Equal(all.ToHashSet(), described.Keys.ToHashSet());
        Assert.All(described.Values, tags => Assert.Equal([("env", "prod"), ("team", "edge")], tags));

        (await RemoveTagsAsync(all, "env", "never-there")).AssertSuccess("RemoveTags");
        Assert.All((await TagsAsync(all)).Values, tags => Assert.Equal([("team", "edge")], tags));
    }

    [Fact]
    public async Task Add_tags_overwrites_values_in_place_and_appends_new_keys()
    {
        var lb = await CreateArnAsync(Client, UniqueName.Next("tagow"));
        (await AddTagsAsync([lb], ("a", "1"), ("b", "2"))).AssertSuccess();
        (await AddTagsAsync([lb], ("c", "3"), ("a", "one"))).AssertSuccess();

        Assert.Equal([("a", "one"), ("b", "2"), ("c", "3")], (await TagsAsync(lb))[lb]);
    }

    [Fact]
    public async Task Tags_given_at_creation_are_described_and_a_tag_may_have_an_empty_value()
    {
        var lb = await CreateArnAsync(Client, UniqueName.Next("tagc"), more: p => p.Tags(("Name", "front door"), ("empty", "")));
        var described = (await DescribeTagsAsync(lb)).AssertSuccess();

        var tags = ApiResponse.Members(described.Element("Tags"));
        Assert.Equal(["Name", "empty"], tags.Select(t => ApiResponse.Child(t, "Key")));
        Assert.Equal(["front door", ""], tags.Select(t => ApiResponse.Child(t, "Value")));
    }

    [Fact]
    public async Task Unknown_arns_get_the_not_found_code_of_their_kind()
    {
        var (lb, tg, listener, rule, trustStore) = await ResourcesAsync();
        static string Unknown(string arn) => arn[..^16] + "0000000000000000";

        foreach (var (arn, code) in new[]
        {
            (lb, "LoadBalancerNotFound"), (tg, "TargetGroupNotFound"), (listener, "ListenerNotFound"),
            (rule, "RuleNotFound"), (trustStore, "TrustStoreNotFound"),
        })
        {
            (await DescribeTagsAsync(Unknown(arn))).AssertError(code);
            (await AddTagsAsync([Unknown(arn)], ("k", "v"))).AssertError(code);
            (await RemoveTagsAsync([Unknown(arn)], "k")).AssertError(code);
        }
        (await DescribeTagsAsync("arn:aws:s3:::bucket")).AssertError("ValidationError");
    }

    [Fact]
    public async Task A_refused_add_tags_changes_no_resource()
    {
        var lb = await CreateArnAsync(Client, UniqueName.Next("tagat"));
        var missing = lb[..^16] + "0000000000000000";

        (await AddTagsAsync([lb, missing], ("k", "v"))).AssertError("LoadBalancerNotFound");
        Assert.Empty((await TagsAsync(lb))[lb]);
    }

    [Fact]
    public async Task Repeated_keys_too_many_tags_and_bad_keys_are_refused()
    {
        var lb = await CreateArnAsync(Client, UniqueName.Next("tagerr"));

        (await AddTagsAsync([lb], ("k", "1"), ("k", "2"))).AssertError("DuplicateTagKeys");

        var fifty = Enumerable.Range(1, 50).Select(i => ($"key{i}", "v")).ToArray();
        (await AddTagsAsync([lb], fifty)).AssertSuccess();
        (await AddTagsAsync([lb], ("key7", "overwrite is fine"))).AssertSuccess();
        (await AddTagsAsync([lb], ("one-too-many", "v"))).AssertError("TooManyTags");
        (await AddTagsAsync([lb], [.. fifty, ("k51", "v")])).AssertError("TooManyTags");
        Assert.Equal(50, (await TagsAsync(lb))[lb].Count);

        var tooLong = (await AddTagsAsync([lb], (new string('k', 129), "v"))).AssertError("ValidationError");
        Assert.Contains("tags.1.member.key", tooLong.ErrorMessage);
        (await AddTagsAsync([lb], ("ok", new string('v', 257)))).AssertError("ValidationError");
        (await AddTagsAsync([lb], ("semi;colon", "v"))).AssertError("ValidationError");
        (await AddTagsAsync([lb], ("", "v"))).AssertError("ValidationError");
        (await Client.CallAsync("AddTags", new ApiRequestParameters().List("ResourceArns", lb))).AssertError("ValidationError");
        (await AddTagsAsync([lb], ("unicode é _.:/=+-@ ok", "ü 1"))).AssertError("TooManyTags");
    }

    [Fact]
    public async Task Describe_tags_takes_at_most_twenty_arns()
    {
        var lb = await CreateArnAsync(Client, UniqueName.Next("tag20"));

        (await DescribeTagsAsync(Enumerable.Repeat(lb, 20).ToArray())).AssertSuccess();
        (await DescribeTagsAsync(Enumerable.Repeat(lb, 21).ToArray())).AssertError("ValidationError");
        (await Client.CallAsync("DescribeTags")).AssertError("ValidationError");
    }

    [Fact]
    public async Task The_cli_adds_describes_and_removes_tags()
    {
        var lb = await CreateArnAsync(Client, UniqueName.Next("tagcli"));
        var tg = await CreateTargetGroupAsync(Client, UniqueName.Next("tagclitg"), "HTTP", 80);

        (await server.Cli.RunAsync("elbv2", "add-tags", "--resource-arns", lb, tg, "--tags", "Key=env,Value=dev", "Key=owner,Value=me@example.com"))
            .AssertSuccess();
        var described = (await server.Cli.RunAsync("elbv2", "describe-tags", "--resource-arns", lb, tg)).AssertSuccess().Json;
        var descriptions = described.GetProperty("TagDescriptions").EnumerateArray().ToList();
        Assert.Equal([lb, tg], descriptions.Select(d => d.GetProperty("ResourceArn").GetString()));
        Assert.All(descriptions, d => Assert.Equal(["env=dev", "owner=me@example.com"],
            d.GetProperty("Tags").EnumerateArray().Select(t => $"{t.GetProperty("Key").GetString()}={t.GetProperty("Value").GetString()}")));

        (await server.Cli.RunAsync("elbv2", "remove-tags", "--resource-arns", tg, "--tag-keys", "env")).AssertSuccess();
        var after = (await server.Cli.RunAsync("elbv2", "describe-tags", "--resource-arns", tg)).AssertSuccess().Json;
        Assert.Equal("owner", after.GetProperty("TagDescriptions")[0].GetProperty("Tags")[0].GetProperty("Key").GetString());

        (await server.Cli.RunAsync("elbv2", "add-tags", "--resource-arns", lb, "--tags", "Key=a,Value=1", "Key=a,Value=2"))
            .AssertError("DuplicateTagKeys");
        (await server.Cli.RunAsync("elbv2", "describe-tags", "--resource-arns", tg[..^16] + "0000000000000000"))
            .AssertError("TargetGroupNotFound");
    }
}
