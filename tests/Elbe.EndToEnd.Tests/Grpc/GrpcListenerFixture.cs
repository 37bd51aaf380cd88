using Elbe.EndToEnd.Tests.Infrastructure;
using Elbe.Tests.Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Elbe.EndToEnd.Tests.Grpc;

/// <summary>
/// One Elbe server with an HTTPS listener (a self-signed certificate imported as ACM would take it) in front of
/// target groups of every protocol version. The listener's default action forwards to the GRPC group "Rpc"; the
/// request header x-route (gRPC metadata) picks another group: "empty" (GRPC, no targets), "refused" (GRPC, a closed
/// port), "secure" (HTTPS GRPC group, TLS target), "secureplain" (HTTPS HTTP1 group, the same TLS target), "plain"
/// (HTTP1 group), "two" (HTTP2 group). A second HTTPS listener on <see cref="Tls13Port"/> has a TLS 1.3 security
/// policy and forwards to "secureplain".
/// </summary>
public sealed class GrpcListenerFixture : IAsyncLifetime
{
    public const int Port = CfnTemplate.HttpsListenerPort;
    public const int Tls13Port = CfnTemplate.HttpsListenerPort + 1;
    public const string Tls13Policy = "ELBSecurityPolicy-TLS13-1-2-2021-06";
    public const string RouteHeader = "x-route";

    private ElbeHarness? harness;

    public TestCertificate ListenerCertificate { get; } = TestCertificates.Server("grpc.elbe.test");
    public GrpcBackend Rpc { get; private set; } = null!;
    public GrpcBackend Secure { get; private set; } = null!;
    public GrpcBackend Plain { get; private set; } = null!;
    public GrpcBackend Two { get; private set; } = null!;
    public ElbeHarness Harness => harness ?? throw new InvalidOperationException("The fixture did not start.");
    public Uri Address => new($"https://{Harness.NodeAddress()}:{Port}");

    public async Task InitializeAsync()
    {
        Rpc = await GrpcBackend.StartAsync("rpc");
        Secure = await GrpcBackend.StartAsync("secure", HttpProtocols.Http1AndHttp2, tls: true);
        Plain = await GrpcBackend.StartAsync("plain", HttpProtocols.Http1);
        Two = await GrpcBackend.StartAsync("two");
        harness = await ElbeHarness.StartAsync(TargetGroups().ToString());

        // The certificate must exist before a listener can name it, as in AWS.
        var generation = harness.Server.Generation;
        var arn = await harness.Server.ImportCertificateAsync(ListenerCertificate.CertificatePem, ListenerCertificate.PrivateKeyPem);
        await harness.Server.WaitForGenerationAsync(generation + 1, ElbeHarness.ReloadTimeout);
        await harness.ReloadAsync(WithHttpsListener(arn));

        await harness.WaitForHealthyAsync("Rpc", Rpc.Port);
        await harness.WaitForHealthyAsync("SecureRpc", Secure.Port);
        await harness.WaitForHealthyAsync("SecurePlain", Secure.Port);
        await harness.WaitForHealthyAsync("Plain", Plain.Port);
        await harness.WaitForHealthyAsync("Two", Two.Port);
    }

    private CfnTemplate TargetGroups()
    {
        // Timeouts at 0.4 s (scaled) rather than 0.2 s: TLS and HTTP/2 set-up on a busy machine should not fail checks.
        var httpCheck = new HealthCheckTemplate { TimeoutSeconds = 4 };
        var rpcCheck = httpCheck with { Path = TestGrpcMethods.CheckPath, MatcherGrpcCode = "0" };
        return new CfnTemplate()
            .LoadBalancer()
            .TargetGroup("Rpc", [Rpc.Port], protocolVersion: "GRPC", healthCheck: rpcCheck)
            .TargetGroup("Empty", [], protocolVersion: "GRPC", healthCheck: rpcCheck)
            .TargetGroup("Refused", [ClosedPort.Find()], protocolVersion: "GRPC", healthCheck: rpcCheck)
            .TargetGroup("SecureRpc", [Secure.Port], protocol: "HTTPS", protocolVersion: "GRPC", healthCheck: rpcCheck with { Protocol = "HTTPS" })
            .TargetGroup("SecurePlain", [Secure.Port], protocol: "HTTPS", healthCheck: httpCheck with { Protocol = "HTTPS" })
            .TargetGroup("Plain", [Plain.Port], healthCheck: httpCheck)
            .TargetGroup("Two", [Two.Port], protocolVersion: "HTTP2", healthCheck: httpCheck);
    }

    private string WithHttpsListener(string certificateArn)
    {
        var template = TargetGroups();
        foreach (var (route, group, priority) in new[] { ("empty", "Empty", 10), ("refused", "Refused", 20), ("secure", "SecureRpc", 30), ("plain", "Plain", 40), ("two", "Two", 50), ("secureplain", "SecurePlain", 60) })
            template.Rule($"Route{group}", priority, $"""
                - Field: http-header
                  HttpHeaderConfig:
                    HttpHeaderName: {RouteHeader}
                    Values: [{route}]
                """, CfnActions.Forward(group), listener: CfnTemplate.DefaultHttpsListener);
        return template
            .HttpsListener(CfnActions.Forward("Rpc"), certificateArn)
            .HttpsListener(CfnActions.Forward("SecurePlain"), certificateArn, name: "Strict", port: Tls13Port, sslPolicy: Tls13Policy)
            .ToString();
    }

    /// <summary>A gRPC channel to the listener, trusting its certificate and no other.</summary>
    public GrpcChannel Channel() => GrpcChannel.ForAddress(Address, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => Trusts(certificate) },
        },
        DisposeHttpClient = true,
    });

    /// <summary>An HTTP client of a chosen HTTP version to the listener, trusting its certificate.</summary>
    public HttpClient HttpClient(Version version, int port = Port) => new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(5),
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => Trusts(certificate) },
    })
    {
        BaseAddress = new Uri($"https://{Harness.NodeAddress()}:{port}"),
        DefaultRequestVersion = version,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = BoundHttpClient.RequestTimeout,
    };

    /// <summary>The client side's whole trust: exactly the listener's certificate.</summary>
    private bool Trusts(System.Security.Cryptography.X509Certificates.X509Certificate? presented) =>
        presented is not null && presented.GetCertHashString() == ListenerCertificate.Certificate.GetCertHashString();

    public static CallOptions Route(string? route = null) => new(
        headers: route is null ? null : new Metadata { { RouteHeader, route } },
        deadline: DateTime.UtcNow.AddSeconds(15));

    public async Task DisposeAsync()
    {
        if (harness is not null) await harness.DisposeAsync();
        foreach (var backend in new[] { Rpc, Secure, Plain, Two })
            if (backend is not null) await backend.DisposeAsync();
    }
}
