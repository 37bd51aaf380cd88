using Elbe.EndToEnd.Tests.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Elbe.EndToEnd.Tests.Grpc;

/// <summary>gRPC health checks of GRPC target groups (fact sheet 0.4): a gRPC call judged by grpc-status against Matcher.GrpcCode.</summary>
public sealed class GrpcHealthCheckTests
{
    [Fact]
    public async Task The_default_check_counts_a_target_without_the_method_healthy_because_it_answers_unimplemented()
    {
        await using var backend = await GrpcBackend.StartAsync("a");
        CfnTemplate Template(string certificateArn) => new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Default", [backend.Port], protocolVersion: "GRPC",
                healthCheck: new HealthCheckTemplate { Path = "/AWS.ALB/healthcheck", MatcherGrpcCode = "12" })
            .TargetGroup("WantsOk", [backend.Port], protocolVersion: "GRPC",
                healthCheck: new HealthCheckTemplate { Path = "/AWS.ALB/healthcheck", MatcherGrpcCode = "0" })
            .HttpsListener(CfnActions.Forward("Default"), certificateArn)
            .Rule("Other", 10, """
                - Field: path-pattern
                  PathPatternConfig:
                    Values: ['/other/*']
                """, CfnActions.Forward("WantsOk"), listener: CfnTemplate.DefaultHttpsListener);
        await using var elbe = await ElbeHarness.StartWithCertificateAsync(Template);

        await elbe.WaitForHealthyAsync("Default", backend.Port);
        await UnhealthyReason.WaitAsync(elbe, "WantsOk", backend.Port, "Target.ResponseCodeMismatch", "Health checks failed with these codes: [12]");
        Assert.Equal(0, backend.PlainRequests);
    }

    [Fact]
    public async Task The_grpc_health_check_flips_a_target_unhealthy_and_back()
    {
        await using var backend = await GrpcBackend.StartAsync("a");
        CfnTemplate Template(string certificateArn) => new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Rpc", [backend.Port], protocolVersion: "GRPC",
                healthCheck: new HealthCheckTemplate { Path = TestGrpcMethods.CheckPath, MatcherGrpcCode = "0" })
            .HttpsListener(CfnActions.Forward("Rpc"), certificateArn);
        await using var elbe = await ElbeHarness.StartWithCertificateAsync(Template);

        await elbe.WaitForHealthyAsync("Rpc", backend.Port);
        Assert.StartsWith("POST HTTP/2 application/grpc ELB-HealthChecker/2.0 https=False", backend.LastHealthCheck);

        backend.SetHealthy(false);
        await UnhealthyReason.WaitAsync(elbe, "Rpc", backend.Port, "Target.ResponseCodeMismatch", "Health checks failed with these codes: [14]");

        backend.SetHealthy(true);
        await elbe.WaitForTargetStateAsync("Rpc", backend.Port, "healthy");
    }

    [Fact]
    public async Task Every_grpc_check_closes_its_http2_connection()
    {
        await using var backend = await GrpcBackend.StartAsync("a");
        CfnTemplate Template(string certificateArn) => new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Rpc", [backend.Port], protocolVersion: "GRPC",
                healthCheck: new HealthCheckTemplate { Path = TestGrpcMethods.CheckPath, MatcherGrpcCode = "0" })
            .HttpsListener(CfnActions.Forward("Rpc"), certificateArn);
        await using var elbe = await ElbeHarness.StartWithCertificateAsync(Template);
        await elbe.WaitForHealthyAsync("Rpc", backend.Port);
        await Eventually.TrueAsync(() => backend.HealthChecks >= 8, $"Only {backend.HealthChecks} checks arrived.");

        // Between checks nothing stays open; connections left behind would only pile up.
        await Eventually.TrueAsync(() => backend.OpenConnections == 0,
            $"Health checks keep {backend.OpenConnections} connections open after {backend.HealthChecks} checks.");
    }

    [Fact]
    public async Task A_target_that_does_not_speak_http2_fails_the_grpc_check()
    {
        await using var backend = await GrpcBackend.StartAsync("old", HttpProtocols.Http1);
        CfnTemplate Template(string certificateArn) => new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Rpc", [backend.Port], protocolVersion: "GRPC",
                healthCheck: new HealthCheckTemplate { Path = "/AWS.ALB/healthcheck", MatcherGrpcCode = "0-99" })
            .HttpsListener(CfnActions.Forward("Rpc"), certificateArn);
        await using var elbe = await ElbeHarness.StartWithCertificateAsync(Template);

        await UnhealthyReason.WaitAsync(elbe, "Rpc", backend.Port, "Target.FailedHealthChecks");
    }
}
