using System.Net;
using Elbe.Tests.Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Elbe.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real Grpc.AspNetCore target on 127.0.0.1 with a random port, speaking the HTTP versions a test chooses
/// (HTTP/2 only is cleartext prior knowledge, as ALB speaks to HTTP2 and GRPC groups), with or without TLS on a
/// self-signed certificate. It serves <see cref="TestGrpcService"/>, and answers any other request with plain
/// text naming itself and how the request arrived (and the TLS version in X-Tls-Protocol), so protocol-version tests
/// can use it without gRPC.
/// </summary>
public sealed class GrpcBackend : IAsyncDisposable
{
    private WebApplication? app;
    private int calls;
    private int healthChecks;
    private int plainRequests;
    private int openConnections;
    private volatile bool healthy = true;
    private volatile string? lastHealthCheck;

    private GrpcBackend(string name, bool tls)
    {
        Name = name;
        UsesTls = tls;
    }

    public string Name { get; }
    public bool UsesTls { get; }
    public int Port { get; private set; }
    /// <summary>gRPC calls of the Echo service (health checks excluded).</summary>
    public int Calls => Volatile.Read(ref calls);
    public int HealthChecks => Volatile.Read(ref healthChecks);
    /// <summary>Requests that were not gRPC, except HTTP health checks of /health.</summary>
    public int PlainRequests => Volatile.Read(ref plainRequests);
    /// <summary>TCP connections open right now, whatever they carry.</summary>
    public int OpenConnections => Volatile.Read(ref openConnections);
    public bool Healthy => healthy;
    /// <summary>"{method} {protocol} {content-type} {user-agent} https={bool}" of the latest gRPC health check.</summary>
    public string? LastHealthCheck => lastHealthCheck;

    /// <summary>Switches the gRPC health method between OK and UNAVAILABLE.</summary>
    public void SetHealthy(bool isHealthy) => healthy = isHealthy;

    internal void CountCall() => Interlocked.Increment(ref calls);

    internal void CountHealthCheck(HttpContext context)
    {
        Interlocked.Increment(ref healthChecks);
        var request = context.Request;
        lastHealthCheck = $"{request.Method} {request.Protocol} {request.ContentType} {request.Headers.UserAgent} https={request.IsHttps}";
    }

    public static async Task<GrpcBackend> StartAsync(string name, HttpProtocols protocols = HttpProtocols.Http2, bool tls = false)
    {
        var backend = new GrpcBackend(name, tls);
        var certificate = tls ? TestCertificates.Server("target.elbe.test", keyType: TestKeyType.EcP256).Certificate : null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = protocols;
            listen.Use(next => async connection =>
            {
                Interlocked.Increment(ref backend.openConnections);
                try { await next(connection); }
                finally { Interlocked.Decrement(ref backend.openConnections); }
            });
            if (certificate is not null) listen.UseHttps(certificate);
        }));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(backend);
        var app = builder.Build();
        app.MapGrpcService<TestGrpcService>();
        app.MapFallback(async context =>
        {
            if (context.Request.Path != BackendServer.HealthPath) Interlocked.Increment(ref backend.plainRequests);
            // Read the request before answering, as applications do. An HTTP/2 server that answers before the body
            // arrives resets the unread request stream, and the forwarder can then reset the client's stream too (seen
            // intermittently with a POST to an HTTP/2 group); that race is not what these tests are about.
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            context.Response.Headers["X-Backend"] = backend.Name;
            if (context.Features.Get<Microsoft.AspNetCore.Connections.Features.ITlsHandshakeFeature>() is { } tls)
                context.Response.Headers["X-Tls-Protocol"] = tls.Protocol.ToString();
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync($"backend={backend.Name} protocol={context.Request.Protocol} https={context.Request.IsHttps}");
        });
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        backend.app = app;
        backend.Port = new Uri(bound).Port;
        return backend;
    }

    public async ValueTask DisposeAsync()
    {
        if (app is null) return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await app.StopAsync(timeout.Token); }
        catch (OperationCanceledException) { }
        await app.DisposeAsync();
    }
}
