using Elbe.Api.Tests.Infrastructure;
using Elbe.Api.Tests.LoadBalancers;
using Elbe.ControlPlane.Templates;
using Elbe.Hosting;
using static Elbe.Api.Tests.TargetGroups.TargetGroupCalls;

namespace Elbe.Api.Tests.TargetGroups;

/// <summary>
/// On a host that cannot make connections leave from a client's address (no CAP_NET_ADMIN, IP_TRANSPARENT
/// refused), turning preserve_client_ip.enabled on is refused where it is asked for, by the API and by a
/// template, with the reason. The host fact is injected: this test host may well have the capability.
/// </summary>
public sealed class ClientIpPreservationRefusalTests
{
    private const string Reason = "this test host acts as one without CAP_NET_ADMIN";

    private static ElbeServerOptions CannotPreserve(ElbeServerOptions options) => options with { ClientIpPreservationUnavailable = Reason };

    [Fact]
    public async Task ModifyTargetGroupAttributes_refuses_preserve_client_ip_with_the_reason_and_keeps_the_group_as_it_was()
    {
        await using var harness = await ApiHarness.StartAsync(configure: CannotPreserve);
        var arn = await CreateAsync(harness.Client, UniqueName.Next("tg"), "TCP", 80, "ip");

        var refused = (await harness.Client.CallAsync("ModifyTargetGroupAttributes", new ApiRequestParameters().Add("TargetGroupArn", arn)
            .AttributeList(("preserve_client_ip.enabled", "true"), ("deregistration_delay.timeout_seconds", "10")))).AssertError("ValidationError");
        Assert.Equal($"preserve_client_ip.enabled cannot be turned on on this host: {Reason}", refused.ErrorMessage);

        var attributes = LoadBalancerCalls.Attributes((await harness.Client.CallAsync("DescribeTargetGroupAttributes",
            new ApiRequestParameters().Add("TargetGroupArn", arn))).AssertSuccess());
        Assert.Equal(("false", "300"), (attributes["preserve_client_ip.enabled"], attributes["deregistration_delay.timeout_seconds"]));

        // Turning it off, or anything else, is still fine.
        (await harness.Client.CallAsync("ModifyTargetGroupAttributes", new ApiRequestParameters().Add("TargetGroupArn", arn)
            .AttributeList(("preserve_client_ip.enabled", "false")))).AssertSuccess("ModifyTargetGroupAttributes");
    }

    [Fact]
    public async Task Aws_cli_sees_the_refusal_as_a_validation_error()
    {
        await using var harness = await ApiHarness.StartAsync(configure: CannotPreserve);
        var arn = await CreateAsync(harness.Client, UniqueName.Next("tg"), "TCP", 80, "instance");

        var result = await harness.Cli.RunAsync("elbv2", "modify-target-group-attributes", "--target-group-arn", arn,
            "--attributes", "Key=preserve_client_ip.enabled,Value=true");
        result.AssertError("ValidationError");
        Assert.Contains(Reason, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_template_turning_preserve_client_ip_on_is_refused_at_load_with_the_reason()
    {
        const string template = """
            Resources:
              Nlb:
                Type: AWS::ElasticLoadBalancingV2::LoadBalancer
                Properties:
                  Name: tpl-nlb
                  Type: network
                  Subnets: [subnet-0000000000000000a]
              Flows:
                Type: AWS::ElasticLoadBalancingV2::TargetGroup
                Properties:
                  Name: tpl-flows
                  Protocol: TCP
                  Port: 80
                  TargetType: ip
                  VpcId: vpc-00000000000000000
                  TargetGroupAttributes:
                    - Key: preserve_client_ip.enabled
                      Value: 'true'
            """;
        var refused = await Assert.ThrowsAsync<TemplateException>(() => ApiHarness.StartAsync(template: template, configure: CannotPreserve));
        Assert.Contains($"preserve_client_ip.enabled cannot be turned on on this host: {Reason}", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Flows", refused.Message, StringComparison.Ordinal);
    }
}
