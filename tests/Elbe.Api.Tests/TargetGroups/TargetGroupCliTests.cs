using Elbe.Api.Tests.Infrastructure;

namespace Elbe.Api.Tests.TargetGroups;

/// <summary>The target group and target commands of the real AWS CLI, end to end.</summary>
public sealed class TargetGroupCliTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    private AwsCli Cli => server.Cli;

    [Fact]
    public async Task The_CLI_manages_a_target_group_and_its_targets()
    {
        var name = UniqueName.Next("cli");
        var created = (await Cli.RunAsync("elbv2", "create-target-group", "--name", name, "--protocol", "HTTP", "--port", "8080",
            "--vpc-id", "vpc-00000000000000000", "--target-type", "ip", "--health-check-path", "/up")).AssertSuccess().Json.GetProperty("TargetGroups")[0];
        var arn = created.GetProperty("TargetGroupArn").GetString()!;
        Assert.Equal("/up", created.GetProperty("HealthCheckPath").GetString());
        Assert.Equal("200", created.GetProperty("Matcher").GetProperty("HttpCode").GetString());
        Assert.Equal(0, created.GetProperty("LoadBalancerArns").GetArrayLength());

        var described = (await Cli.RunAsync("elbv2", "describe-target-groups", "--names", name)).AssertSuccess().Json.GetProperty("TargetGroups");
        Assert.Equal(arn, described[0].GetProperty("TargetGroupArn").GetString());

        var attributes = (await Cli.RunAsync("elbv2", "modify-target-group-attributes", "--target-group-arn", arn,
            "--attributes", "Key=deregistration_delay.timeout_seconds,Value=5")).AssertSuccess().Json.GetProperty("Attributes");
        Assert.Contains(attributes.EnumerateArray(), a => a.GetProperty("Key").GetString() == "deregistration_delay.timeout_seconds" && a.GetProperty("Value").GetString() == "5");

        (await Cli.RunAsync("elbv2", "register-targets", "--target-group-arn", arn, "--targets", "Id=10.1.2.3", "Id=10.1.2.3,Port=9090")).AssertSuccess();
        var health = (await Cli.RunAsync("elbv2", "describe-target-health", "--target-group-arn", arn)).AssertSuccess().Json.GetProperty("TargetHealthDescriptions");
        Assert.Equal(2, health.GetArrayLength());
        Assert.Equal("unused", health[0].GetProperty("TargetHealth").GetProperty("State").GetString());
        Assert.Equal("Target.NotInUse", health[0].GetProperty("TargetHealth").GetProperty("Reason").GetString());

        (await Cli.RunAsync("elbv2", "register-targets", "--target-group-arn", arn, "--targets", "Id=999.1.2.3")).AssertError("InvalidTarget");
        (await Cli.RunAsync("elbv2", "deregister-targets", "--target-group-arn", arn, "--targets", "Id=10.1.2.3,Port=9090")).AssertSuccess();
        (await Cli.RunAsync("elbv2", "create-target-group", "--name", name, "--protocol", "HTTP", "--port", "9999", "--vpc-id", "vpc-00000000000000000"))
            .AssertError("DuplicateTargetGroupName");
        (await Cli.RunAsync("elbv2", "delete-target-group", "--target-group-arn", arn)).AssertSuccess();
        (await Cli.RunAsync("elbv2", "describe-target-groups", "--target-group-arns", arn)).AssertError("TargetGroupNotFound");
    }
}
