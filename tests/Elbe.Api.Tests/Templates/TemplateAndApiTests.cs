using System.Net;
using Elbe.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Elbe.Api.Tests.Templates;

/// <summary>
/// One model: what a template creates is described and changed through the API like anything else, API changes
/// to template resources survive a restart (which re-imports the unchanged template), and the listeners come back.
/// </summary>
public sealed class TemplateAndApiTests
{
    [Fact]
    public async Task Template_resources_are_described_changed_through_the_api_and_kept_across_a_restart()
    {
        var backendPort = FreePort.Next();
        var listenerPort = FreePort.Next();
        await using var backend = await StartBackendAsync(backendPort);
        var template = $$"""
            Resources:
              Alb:
                Type: AWS::ElasticLoadBalancingV2::LoadBalancer
                Properties:
                  Name: tpl-alb
                  Subnets: [subnet-0000000000000000a, subnet-0000000000000000b]
              Web:
                Type: AWS::ElasticLoadBalancingV2::TargetGroup
                Properties:
                  Name: tpl-web
                  Protocol: HTTP
                  Port: {{backendPort}}
                  TargetType: ip
                  Targets: [{ Id: 127.0.0.1 }]
              Http:
                Type: AWS::ElasticLoadBalancingV2::Listener
                Properties:
                  LoadBalancerArn: !Ref Alb
                  Port: {{listenerPort}}
                  Protocol: HTTP
                  DefaultActions: [{ Type: forward, TargetGroupArn: !Ref Web }]
            """;
        await using var harness = await ApiHarness.StartAsync(template: template);
        var client = harness.Client;

        var described = (await client.CallAsync("DescribeTargetGroups", new ApiRequestParameters().List("Names", "tpl-web"))).AssertSuccess();
        var targetGroup = described.Value("TargetGroupArn")!;
        Assert.Contains(":targetgroup/tpl-web/", targetGroup);
        var node = (await client.CallAsync("DescribeLoadBalancers", new ApiRequestParameters().List("Names", "tpl-alb"))).AssertSuccess().Value("IpAddress")!;

        (await client.CallAsync("ModifyTargetGroupAttributes", new ApiRequestParameters()
                .Add("TargetGroupArn", targetGroup)
                .StructList("Attributes", a => a.Add("Key", "deregistration_delay.timeout_seconds").Add("Value", "7"))))
            .AssertSuccess();
        (await client.CallAsync("AddTags", new ApiRequestParameters().List("ResourceArns", targetGroup).Tags(("team", "edge")))).AssertSuccess();

        await harness.RestartAsync();

        var attributes = (await client.CallAsync("DescribeTargetGroupAttributes", new ApiRequestParameters().Add("TargetGroupArn", targetGroup))).AssertSuccess();
        var delay = attributes.Members("Attributes").Single(m => ApiResponse.Child(m, "Key") == "deregistration_delay.timeout_seconds");
        Assert.Equal("7", ApiResponse.Child(delay, "Value"));
        var tags = (await client.CallAsync("DescribeTags", new ApiRequestParameters().List("ResourceArns", targetGroup))).AssertSuccess();
        Assert.Contains("edge", tags.Values("Value"));

        // The template's listener is serving again after the restart.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        string? last = null;
        for (var attempt = 0; attempt < 50 && last != "from-backend"; attempt++)
        {
            try { last = await http.GetStringAsync($"http://{node}:{listenerPort}/"); }
            catch (HttpRequestException e) { last = e.Message; await Task.Delay(100); }
        }
        Assert.Equal("from-backend", last);
    }

    private static async Task<WebApplication> StartBackendAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsync("from-backend"));
        await app.StartAsync();
        return app;
    }
}
