using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests.Network;

/// <summary>HTTP and HTTPS health checks of an NLB's TCP, UDP and TCP_UDP target groups (fact sheet 0.4, 2.6; API reference section 6).</summary>
public class NlbHttpHealthCheckTests
{
    [Theory]
    [InlineData("TCP", "HTTP")]
    [InlineData("TCP", "HTTPS")]
    [InlineData("UDP", "HTTP")]
    [InlineData("TCP_UDP", "HTTPS")]
    public async Task Http_checks_judge_the_target_by_nlb_matcher_and_send_the_node_and_listener_as_host(string protocol, string checkProtocol)
    {
        var certificate = TestCertificates.Server("health.target.test", keyType: TestKeyType.Ecdsa);
        await using var check = await HttpHealthTarget.StartAsync(checkProtocol == "HTTPS" ? certificate.Certificate : null);
        // The traffic port is never connected to by the checks (HealthCheckPort points elsewhere), so nothing need listen there.
        var template = new NlbTemplate
        {
            Protocol = protocol,
            TargetProtocol = protocol,
            HealthCheckProtocol = checkProtocol,
            HealthCheckPath = "/ready",
            HealthCheckPort = check.Port,
        }.WithTargets(9);
        await using var harness = await ElbeHarness.StartAsync(template.ToString(), timeScale: 0.2);
        await harness.WaitForHealthyAsync(NlbTemplate.TargetGroup, 9);
        var node = harness.NodeAddress(NlbTemplate.LoadBalancer);

        Assert.Equal($"{node}:{NlbTemplate.ListenerPort}", check.LastHost);
        Assert.Equal("ELB-HealthChecker/2.0", check.LastUserAgent);
        Assert.Equal("/ready", check.LastPath);
        Assert.Equal(checkProtocol == "HTTPS" ? check.Checks : 0, check.TlsChecks);

        // NLB's default matcher is 200-399: a redirect is healthy, a server error is not.
        check.Answer(302);
        var before = check.Checks;
        await Eventually.TrueAsync(() => check.Checks >= before + 3, "three more checks did not arrive");
        var afterRedirects = harness.TargetHealth(NlbTemplate.TargetGroup, 9)!.TargetHealth;
        Assert.True(afterRedirects.State == "healthy", afterRedirects.Description);

        check.Answer(500);
        var unhealthy = await harness.WaitForTargetStateAsync(NlbTemplate.TargetGroup, 9, "unhealthy");
        Assert.Equal("Target.ResponseCodeMismatch", unhealthy.TargetHealth.Reason);
        Assert.Equal("Health checks failed with these codes: [500]", unhealthy.TargetHealth.Description);

        check.Answer(200);
        await harness.WaitForTargetStateAsync(NlbTemplate.TargetGroup, 9, "healthy");
    }
}
