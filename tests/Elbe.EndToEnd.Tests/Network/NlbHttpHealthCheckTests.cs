using Elbe.EndToEnd.Tests.Infrastructure;
using Elbe.Tests.Certificates;

namespace Elbe.EndToEnd.Tests.Network;

/// <summary>HTTP and HTTPS health checks of an NLB's TCP, TLS, UDP and TCP_UDP target groups (fact sheet 0.4, 2.6; API reference section 6).</summary>
public class NlbHttpHealthCheckTests
{
    // The checks go to HealthCheckPort, never to the traffic port, so nothing need listen there.
    private const int TrafficPort = 9;

    private static NlbTemplate Template(string protocol, string checkProtocol, HttpHealthTarget check) => new NlbTemplate
    {
        Protocol = protocol,
        TargetProtocol = protocol,
        HealthCheckProtocol = checkProtocol,
        HealthCheckPath = "/ready",
        HealthCheckPort = check.Port,
    }.WithTargets(TrafficPort);

    [Theory]
    [InlineData("TCP", "HTTP")]
    [InlineData("TCP", "HTTPS")]
    [InlineData("UDP", "HTTP")]
    [InlineData("TCP_UDP", "HTTPS")]
    public async Task Http_checks_judge_the_target_by_nlb_matcher_and_send_the_node_and_listener_as_host(string protocol, string checkProtocol)
    {
        var certificate = TestCertificates.Server("health.target.test", keyType: TestKeyType.EcP256);
        await using var check = await HttpHealthTarget.StartAsync(checkProtocol == "HTTPS" ? certificate.Certificate : null);
        await using var harness = await ElbeHarness.StartAsync(Template(protocol, checkProtocol, check).ToString(), timeScale: 0.2);
        await AssertChecksAsync(harness, check, checkProtocol == "HTTPS");
    }

    [Fact]
    public async Task Https_checks_of_a_tls_target_group_behind_a_tls_listener_do_not_verify_the_targets_certificate()
    {
        await using var check = await HttpHealthTarget.StartAsync(TestCertificates.Server("self.signed.target", keyType: TestKeyType.EcP256).Certificate);
        var template = Template("TLS", "HTTPS", check);
        // A TLS listener needs a certificate ACM holds: start as TCP, import one, then turn the listener into TLS.
        await using var harness = await ElbeHarness.StartAsync((template with { Protocol = "TCP", TargetProtocol = "TCP" }).ToString(), timeScale: 0.2);
        var listenerCertificate = TestCertificates.Server("nlb.example.com");
        var generation = harness.Server.Generation;
        var arn = await harness.Server.ImportCertificateAsync(listenerCertificate.CertificatePem, listenerCertificate.PrivateKeyPem);
        await harness.Server.WaitForGenerationAsync(generation + 1, ElbeHarness.ReloadTimeout);
        await harness.ReloadAsync((template with { CertificateArn = arn }).ToString());
        Assert.Equal("TLS", harness.Server.TargetGroup(NlbTemplate.TargetGroup).Protocol);

        await AssertChecksAsync(harness, check, overTls: true);
    }

    private static async Task AssertChecksAsync(ElbeHarness harness, HttpHealthTarget check, bool overTls)
    {
        await harness.WaitForHealthyAsync(NlbTemplate.TargetGroup, TrafficPort);
        var node = harness.NodeAddress(NlbTemplate.LoadBalancer);

        Assert.Equal($"{node}:{NlbTemplate.ListenerPort}", check.LastHost);
        Assert.Equal("ELB-HealthChecker/2.0", check.LastUserAgent);
        Assert.Equal("/ready", check.LastPath);
        Assert.Equal(overTls ? check.Checks : 0, check.TlsChecks);

        // NLB's default matcher is 200-399: a redirect is healthy, a server error is not.
        check.Answer(302);
        var before = check.Checks;
        await Eventually.TrueAsync(() => check.Checks >= before + 3, "three more checks did not arrive");
        var afterRedirects = harness.TargetHealth(NlbTemplate.TargetGroup, TrafficPort)!.TargetHealth;
        Assert.True(afterRedirects.State == "healthy", $"a 302 made the target {afterRedirects}");

        check.Answer(500);
        var unhealthy = await harness.WaitForTargetStateAsync(NlbTemplate.TargetGroup, TrafficPort, "unhealthy");
        Assert.Equal("Target.ResponseCodeMismatch", unhealthy.TargetHealth.Reason);
        Assert.Equal("Health checks failed with these codes: [500]", unhealthy.TargetHealth.Description);

        check.Answer(200);
        await harness.WaitForTargetStateAsync(NlbTemplate.TargetGroup, TrafficPort, "healthy");
    }
}
