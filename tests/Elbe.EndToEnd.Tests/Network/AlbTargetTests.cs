using System.Net;
using System.Text.Json;
using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests.Network;

/// <summary>An ALB of Elbe registered as the target of an NLB (target type alb, fact sheet 2.7).</summary>
public class AlbTargetTests
{
    [Fact]
    public async Task Nlb_relays_to_an_alb_target_which_sees_the_client_address_and_appends_it_to_x_forwarded_for()
    {
        await using var backend = await BackendServer.StartAsync("behind-alb");
        var alb = new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("AlbWeb", [backend.Port])
            .Listener(CfnActions.Forward("AlbWeb"))
            .ToString();
        var template = new NlbTemplate
        {
            TargetType = "alb",
            TargetGroupPort = CfnTemplate.ListenerPort,
            TargetsYaml = $"- Id: !Ref {CfnTemplate.DefaultLoadBalancer}\n",
            HealthCheckProtocol = "HTTP",
            HealthCheckPath = BackendServer.HealthPath,
            ExtraResources = alb[(alb.IndexOf("Resources:\n", StringComparison.Ordinal) + "Resources:\n".Length)..],
        };
        await using var harness = await ElbeHarness.StartAsync(template.ToString());
        await harness.WaitForHealthyAsync("AlbWeb", backend.Port);
        // The ALB target is registered without a port (the group's port applies); its checks go to the ALB's listener.
        var albArn = harness.Server.LoadBalancer(CfnTemplate.DefaultLoadBalancer).Arn;
        await Eventually.TrueAsync(
            () => harness.Server.DescribeTargetHealth(harness.TargetGroupArn(NlbTemplate.TargetGroup)) is [{ TargetHealth.State: "healthy" } only] && only.Target.Id == albArn,
            "the ALB target of the NLB did not become healthy");

        var client = LoopbackSubnets.ClientAddress(143, 9);
        using var http = BoundHttpClient.Create(client);
        var body = await http.GetStringAsync($"http://{harness.NodeAddress(NlbTemplate.LoadBalancer)}:{NlbTemplate.ListenerPort}/echo");
        var echoed = JsonSerializer.Deserialize<EchoedRequest>(body)!;
        Assert.Equal("behind-alb", echoed.Backend);
        // Client IP preservation is fixed on for alb targets: the ALB sees the client, not the NLB node.
        Assert.Equal(client.ToString(), echoed.Header("X-Forwarded-For"));
    }
}
