using Elbe.Api.Tests.Infrastructure;
using static Elbe.Api.Tests.LoadBalancers.LoadBalancerCalls;

namespace Elbe.Api.Tests.Listeners;

/// <summary>The real AWS CLI against Elbe's listener actions.</summary>
public sealed class ListenerCliTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    private AwsCli Cli => server.Cli;

    [Fact]
    public async Task The_cli_creates_describes_modifies_and_deletes_listeners_with_certificates()
    {
        var Cert = await server.Harness.ImportTestCertificateAsync("cli.example.com");
        var ExtraCert = await server.Harness.ImportTestCertificateAsync("extra.example.com");
        var lbArn = await CreateArnAsync(server.Client, UniqueName.Next("clil"));

        var created = (await Cli.RunAsync("elbv2", "create-listener", "--load-balancer-arn", lbArn, "--protocol", "HTTPS", "--port", "8443",
            "--certificates", $"CertificateArn={Cert}",
            "--default-actions", "Type=fixed-response,FixedResponseConfig={StatusCode=404,ContentType=text/plain,MessageBody=nothing}")).AssertSuccess();
        var listener = created.Json.GetProperty("Listeners")[0];
        var arn = listener.GetProperty("ListenerArn").GetString()!;
        Assert.Equal(8443, listener.GetProperty("Port").GetInt32());
        Assert.Equal("ELBSecurityPolicy-2016-08", listener.GetProperty("SslPolicy").GetString());
        Assert.Equal(Cert, listener.GetProperty("Certificates")[0].GetProperty("CertificateArn").GetString());
        Assert.Equal("404", listener.GetProperty("DefaultActions")[0].GetProperty("FixedResponseConfig").GetProperty("StatusCode").GetString());

        var described = (await Cli.RunAsync("elbv2", "describe-listeners", "--load-balancer-arn", lbArn)).AssertSuccess().Json.GetProperty("Listeners");
        Assert.Equal(arn, described[0].GetProperty("ListenerArn").GetString());

        (await Cli.RunAsync("elbv2", "add-listener-certificates", "--listener-arn", arn, "--certificates", $"CertificateArn={ExtraCert}")).AssertSuccess();
        var certificates = (await Cli.RunAsync("elbv2", "describe-listener-certificates", "--listener-arn", arn)).AssertSuccess()
            .Json.GetProperty("Certificates").EnumerateArray().Select(c => (c.GetProperty("CertificateArn").GetString(), c.GetProperty("IsDefault").GetBoolean())).ToList();
        Assert.Equal([(Cert, true), (ExtraCert, false)], certificates);
        (await Cli.RunAsync("elbv2", "remove-listener-certificates", "--listener-arn", arn, "--certificates", $"CertificateArn={Cert}")).AssertError("OperationNotPermitted");

        var modified = (await Cli.RunAsync("elbv2", "modify-listener", "--listener-arn", arn, "--port", "9443")).AssertSuccess();
        Assert.Equal(9443, modified.Json.GetProperty("Listeners")[0].GetProperty("Port").GetInt32());

        (await Cli.RunAsync("elbv2", "create-listener", "--load-balancer-arn", lbArn, "--protocol", "HTTPS", "--port", "10443",
            "--default-actions", "Type=fixed-response,FixedResponseConfig={StatusCode=200}")).AssertError("ValidationError");
        (await Cli.RunAsync("elbv2", "delete-listener", "--listener-arn", arn)).AssertSuccess();
        (await Cli.RunAsync("elbv2", "describe-listeners", "--listener-arns", arn)).AssertError("ListenerNotFound");
    }
}
