using Elbe.Api.Tests.Infrastructure;

namespace Elbe.Api.Tests;

/// <summary>Requests the API cannot act on get AWS's query-protocol errors, never a 500.</summary>
public sealed class RequestValidationTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    [Fact]
    public async Task An_unknown_action_is_InvalidAction()
    {
        var response = await server.Client.CallAsync("DescribeEverything");
        response.AssertError("InvalidAction", 400);
        Assert.Contains("DescribeEverything", response.ErrorMessage);
    }

    [Fact]
    public async Task A_known_action_under_another_version_is_InvalidAction()
    {
        var response = await server.Client.SendFormAsync("Action=DescribeLoadBalancers&Version=2099-01-01");
        response.AssertError("InvalidAction", 400);
    }

    [Fact]
    public async Task A_control_character_in_a_value_is_a_validation_error_not_a_crash()
    {
        var response = await server.Client.CallAsync("DescribeLoadBalancers", new ApiRequestParameters().List("Names", "bad\u0001name"));
        response.AssertError("ValidationError", 400);
        Assert.Contains("names.1.member", response.ErrorMessage);
    }

    [Fact]
    public async Task A_body_over_one_megabyte_is_refused_as_the_client_s_fault_and_the_server_keeps_answering()
    {
        // Expect: 100-continue, so the client waits for the verdict instead of racing the server's close with the body.
        var response = await server.Client.SendFormAsync("Action=DescribeLoadBalancers&Version=2015-12-01&Names.member.1=" + new string('a', 1024 * 1024),
            new ApiRequestOverrides { AfterSigning = request => request.Headers.ExpectContinue = true });
        response.AssertError("ValidationError", 413);
        Assert.Equal("Sender", response.ErrorType);

        (await server.Client.CallAsync("DescribeLoadBalancers")).AssertSuccess();
    }

    [Fact]
    public async Task Errors_are_in_the_elbv2_namespace_with_a_request_id()
    {
        var response = await server.Client.CallAsync("DescribeLoadBalancers", new ApiRequestParameters().List("Names", "no-such-lb"));
        response.AssertError("LoadBalancerNotFound", 400);
        Assert.Equal(SignedApiClient.Elbv2Namespace, response.Root.Name.NamespaceName);
        Assert.True(Guid.TryParse(response.RequestId, out _), $"RequestId '{response.RequestId}' is not a UUID");
        Assert.Equal("Sender", response.ErrorType);
    }
}
