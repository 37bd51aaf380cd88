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
    public async Task A_body_over_four_mebibytes_is_refused_as_the_client_s_fault_and_the_server_keeps_answering()
    {
        // Raw socket: the head announces 5 MB (the limit, 4 MiB, holds ACM's 2 MB chains base64-encoded) and waits (Expect: 100-continue) for the verdict, which must come from
        // the Content-Length alone, before any body byte, so nothing races the server's close.
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(server.Harness.BaseUrl.Host, server.Harness.BaseUrl.Port);
        var stream = socket.GetStream();
        var head = $"POST / HTTP/1.1\r\nHost: {server.Harness.BaseUrl.Authority}\r\nContent-Type: {SignedApiClient.FormContentType}\r\n" +
            "Content-Length: 5000000\r\nExpect: 100-continue\r\n\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head));
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var statusLine = await reader.ReadLineAsync(timeout.Token);
        Assert.Equal("HTTP/1.1 413 Payload Too Large", statusLine);
        var rest = await reader.ReadToEndAsync(timeout.Token);
        Assert.Contains("<Code>ValidationError</Code>", rest);
        Assert.Contains("<Type>Sender</Type>", rest);

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
