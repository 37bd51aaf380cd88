using Elbe.Api.Tests.Infrastructure;

namespace Elbe.Api.Tests;

/// <summary>The test harness itself: requests look like botocore's, and a restarted server answers on the same endpoint.</summary>
public sealed class HarnessTests
{
    [Fact]
    public void The_form_body_is_encoded_as_botocore_encodes_it()
    {
        var body = SignedApiClient.FormBody(
        [
            new("Action", "DescribeLoadBalancers"),
            new("Version", "2015-12-01"),
            .. new ApiRequestParameters().List("Names", "a b", "x&y/z~*+é").Add("PageSize", 5),
        ]);

        Assert.Equal("Action=DescribeLoadBalancers&Version=2015-12-01&Names.member.1=a%20b&Names.member.2=x%26y%2Fz~%2A%2B%C3%A9&PageSize=5", body);
    }

    [Fact]
    public void Parameters_flatten_like_the_query_protocol()
    {
        var parameters = new ApiRequestParameters()
            .List("SecurityGroups")
            .Tags(("env", "prod"))
            .StructList("Actions", a => a
                .Add("Type", "forward")
                .Struct("ForwardConfig", f => f.StructList("TargetGroups", g => g.Add("TargetGroupArn", "arn").Add("Weight", 10))))
            .Map("Extra", [new("prompt", "login")]);

        Assert.Equal(
        [
            "SecurityGroups=",
            "Tags.member.1.Key=env",
            "Tags.member.1.Value=prod",
            "Actions.member.1.Type=forward",
            "Actions.member.1.ForwardConfig.TargetGroups.member.1.TargetGroupArn=arn",
            "Actions.member.1.ForwardConfig.TargetGroups.member.1.Weight=10",
            "Extra.entry.1.key=prompt",
            "Extra.entry.1.value=login",
        ], parameters.Select(p => $"{p.Key}={p.Value}"));
    }

    [Fact]
    public async Task A_restarted_server_answers_on_the_same_endpoint_with_the_same_data_directory()
    {
        await using var harness = await ApiHarness.StartAsync();
        (await harness.Client.CallAsync("DescribeLoadBalancers")).AssertSuccess("DescribeLoadBalancers");

        await harness.RestartAsync();

        (await harness.Client.CallAsync("DescribeLoadBalancers")).AssertSuccess("DescribeLoadBalancers");
        Assert.True(Directory.Exists(harness.DataDirectory));
    }
}
