using Elbe.Api.Tests.Infrastructure;

namespace Elbe.Api.Tests;

/// <summary>SigV4 over real HTTP: the one well-signed call succeeds, every way of getting the signature wrong is refused as AWS refuses it.</summary>
public sealed class SignatureTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    private const string SignatureDoesNotMatch = "SignatureDoesNotMatch";

    private SignedApiClient Client => server.Client;

    [Fact]
    public async Task A_well_signed_describe_load_balancers_returns_an_empty_list()
    {
        var response = (await Client.CallAsync("DescribeLoadBalancers")).AssertSuccess("DescribeLoadBalancers");

        Assert.Equal(SignedApiClient.Elbv2Namespace, response.Root.Name.NamespaceName);
        Assert.Empty(response.Members("LoadBalancers"));
        Assert.False(string.IsNullOrEmpty(response.RequestId));
        Assert.Equal(response.RequestId, response.Headers["x-amzn-RequestId"]);
    }

    [Fact]
    public async Task The_aws_cli_describes_no_load_balancers()
    {
        var result = (await server.Cli.RunAsync("elbv2", "describe-load-balancers")).AssertSuccess();

        Assert.Equal(0, result.Json.GetProperty("LoadBalancers").GetArrayLength());
    }

    [Fact]
    public async Task A_request_without_authorization_is_refused()
    {
        var response = await Client.CallAsync("DescribeLoadBalancers", overrides: new() { Unsigned = true });

        response.AssertError("MissingAuthenticationToken", 403);
        Assert.Equal("Request is missing Authentication Token", response.ErrorMessage);
    }

    [Fact]
    public async Task A_wrong_secret_does_not_match()
    {
        var response = await Client.CallAsync("DescribeLoadBalancers", overrides: new() { SecretAccessKey = "not-the-secret" });

        response.AssertError(SignatureDoesNotMatch, 403);
        Assert.StartsWith("The request signature we calculated does not match the signature you provided.", response.ErrorMessage);
    }

    [Fact]
    public async Task An_unknown_access_key_is_refused()
    {
        var response = await Client.CallAsync("DescribeLoadBalancers", overrides: new() { AccessKeyId = TestCredentials.UnknownAccessKeyId });

        response.AssertError("InvalidClientTokenId", 403);
        Assert.Equal("The security token included in the request is invalid.", response.ErrorMessage);
    }

    [Theory]
    [InlineData(-10)]
    [InlineData(10)]
    public async Task A_date_more_than_five_minutes_away_has_expired(int minutes)
    {
        var response = await Client.CallAsync("DescribeLoadBalancers", overrides: new() { Date = DateTimeOffset.UtcNow.AddMinutes(minutes) });

        response.AssertError("RequestExpired", 400);
    }

    [Fact]
    public async Task A_date_within_five_minutes_is_accepted()
    {
        var response = await Client.CallAsync("DescribeLoadBalancers", overrides: new() { Date = DateTimeOffset.UtcNow.AddMinutes(-3) });

        response.AssertSuccess("DescribeLoadBalancers");
    }

    [Fact]
    public async Task A_body_changed_after_signing_does_not_match()
    {
        var response = await Client.CallAsync("DescribeLoadBalancers", overrides: new()
        {
            BodyAfterSigning = "Action=DescribeLoadBalancers&Version=2015-12-01&Names.member.1=other",
        });

        response.AssertError(SignatureDoesNotMatch, 403);
    }

    [Fact]
    public async Task A_signed_header_changed_after_signing_does_not_match()
    {
        var response = await Client.CallAsync("DescribeLoadBalancers", overrides: new()
        {
            AfterSigning = request =>
            {
                request.Content!.Headers.Remove("Content-Type");
                request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded");
            },
        });

        response.AssertError(SignatureDoesNotMatch, 403);
    }

    [Fact]
    public async Task A_signature_for_another_service_is_refused()
    {
        var response = await Client.CallAsync("DescribeLoadBalancers", overrides: new() { Service = "ec2" });

        response.AssertError(SignatureDoesNotMatch, 403);
    }

    [Fact]
    public async Task A_malformed_authorization_header_is_an_incomplete_signature()
    {
        var response = await Client.CallAsync("DescribeLoadBalancers", overrides: new()
        {
            AfterSigning = request =>
            {
                request.Headers.Remove("Authorization");
                request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=garbage");
            },
        });

        response.AssertError("IncompleteSignature", 400);
    }

    [Fact]
    public async Task Any_region_in_the_scope_is_accepted()
    {
        var response = await Client.CallAsync("DescribeLoadBalancers", overrides: new() { Region = "eu-west-3" });

        response.AssertSuccess("DescribeLoadBalancers");
    }

    [Fact]
    public async Task The_aws_cli_with_a_wrong_secret_gets_signature_does_not_match()
    {
        var cli = new AwsCli(server.Harness.BaseUrl, secretAccessKey: "not-the-secret");

        (await cli.RunAsync("elbv2", "describe-load-balancers")).AssertError(SignatureDoesNotMatch);
    }

    [Fact]
    public async Task The_aws_cli_with_an_unknown_key_gets_invalid_client_token_id()
    {
        var cli = new AwsCli(server.Harness.BaseUrl, accessKeyId: TestCredentials.UnknownAccessKeyId);

        (await cli.RunAsync("elbv2", "describe-load-balancers")).AssertError("InvalidClientTokenId");
    }
}
