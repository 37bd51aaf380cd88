using System.Text.Json.Nodes;
using Elbe.Api.Tests.Infrastructure;
using Elbe.ControlPlane.Certificates;
using Elbe.Hosting;

namespace Elbe.Api.Tests.Certificates;

/// <summary>Templates name certificates by ARN: an imported one is accepted (and then in use), a missing one refuses the reload.</summary>
public sealed class CertificateTemplateTests
{
    private static readonly TimeSpan ReloadTimeout = TimeSpan.FromSeconds(20);

    private static string Template(int port, string? certificateArn) => $$"""
        Resources:
          Alb:
            Type: AWS::ElasticLoadBalancingV2::LoadBalancer
            Properties:
              Name: cert-tpl-alb
              Subnets: [subnet-0000000000000000a, subnet-0000000000000000b]
          Plain:
            Type: AWS::ElasticLoadBalancingV2::Listener
            Properties:
              LoadBalancerArn: !Ref Alb
              Port: {{port}}
              Protocol: HTTP
              DefaultActions: [{ Type: fixed-response, FixedResponseConfig: { StatusCode: '200' } }]
        """ + (certificateArn is null ? "" : $$"""

          Secure:
            Type: AWS::ElasticLoadBalancingV2::Listener
            Properties:
              LoadBalancerArn: !Ref Alb
              Port: {{port + 1}}
              Protocol: HTTPS
              Certificates: [{ CertificateArn: '{{certificateArn}}' }]
              DefaultActions: [{ Type: fixed-response, FixedResponseConfig: { StatusCode: '200' } }]
        """);

    [Fact]
    public async Task A_template_listener_may_name_an_imported_certificate_and_not_a_missing_one()
    {
        var port = FreePort.Next();
        await using var harness = await ApiHarness.StartAsync(template: Template(port, null));
        var path = harness.Options.ConfigPath!;
        var arn = await harness.ImportTestCertificateAsync("template.example.com");
        var missing = arn[..^12] + "000000000000";

        await File.WriteAllTextAsync(path, Template(port, missing));
        var refused = await UntilAsync(harness.Server, s => s.LastReloadError);
        Assert.Contains($"Certificate '{missing}' not found", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Server.Configuration.Listeners, l => l.Protocol == "HTTPS");

        await File.WriteAllTextAsync(path, Template(port, arn));
        var secure = await UntilAsync(harness.Server, s => s.Configuration.Listeners.FirstOrDefault(l => l.Protocol == "HTTPS"));
        Assert.Equal([arn], secure.CertificateArns.ToArray());
        Assert.Null(harness.Server.LastReloadError);

        using var acm = new AcmClient(harness.BaseUrl);
        var detail = (await acm.CallAsync("DescribeCertificate", new JsonObject { ["CertificateArn"] = arn })).AssertOk().GetProperty("Certificate");
        Assert.Equal([secure.LoadBalancerArn], detail.GetProperty("InUseBy").EnumerateArray().Select(e => e.GetString()));
        (await acm.CallAsync("DeleteCertificate", new JsonObject { ["CertificateArn"] = arn })).AssertError(AcmErrorCodes.ResourceInUseException);

        // After a restart the certificate is back before the template is imported again, so the listener still loads.
        await harness.RestartAsync();
        Assert.Null(harness.Server.LastReloadError);
        Assert.Contains(harness.Server.Configuration.Listeners, l => l.CertificateArns.Contains(arn));
    }

    private static async Task<T> UntilAsync<T>(ElbeServer server, Func<ElbeServer, T?> probe) where T : class
    {
        var deadline = DateTime.UtcNow + ReloadTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (probe(server) is { } value) return value;
            await Task.Delay(50);
        }
        throw new TimeoutException($"The template change was neither applied nor refused within {ReloadTimeout}; last reload error: {server.LastReloadError?.Message ?? "none"}");
    }
}
