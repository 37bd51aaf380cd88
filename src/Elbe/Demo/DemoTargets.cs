using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Elbe.Demo;

/// <summary>
/// Small HTTP servers that stand in for an application's instances, so the example template works on a
/// machine with nothing else running. Each answers with its own address, serves /health, and can be told
/// to fail its health checks (POST /health/fail, POST /health/pass) to show a target going unhealthy.
/// </summary>
public sealed class DemoTargets : IAsyncDisposable
{
    private readonly List<WebApplication> _apps = [];

    public static async Task<DemoTargets> StartAsync(IReadOnlyList<int> ports, CancellationToken cancellationToken = default)
    {
        var targets = new DemoTargets();
        try
        {
            foreach (var port in ports) await targets.StartOneAsync(port, cancellationToken);
        }
        catch
        {
            // A port already in use must not leave the targets started before it running.
            await targets.DisposeAsync();
            throw;
        }
        return targets;
    }

    private async Task StartOneAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var name = $"127.0.0.1:{port}";
        var healthy = true;
        app.MapGet("/health", () => healthy ? Results.Text("ok\n") : Results.Text("failing on purpose\n", statusCode: 503));
        app.MapPost("/health/fail", () => { healthy = false; return Results.Text($"{name} now fails its health checks\n"); });
        app.MapPost("/health/pass", () => { healthy = true; return Results.Text($"{name} now passes its health checks\n"); });
        app.Run(context =>
        {
            context.Response.ContentType = "text/plain";
            context.Response.Headers["X-Demo-Target"] = name;
            var forwardedFor = context.Request.Headers["X-Forwarded-For"].ToString();
            return context.Response.WriteAsync($"target {name} answered {context.Request.Method} {context.Request.Path}{context.Request.QueryString} (X-Forwarded-For: {forwardedFor})\n");
        });
        _apps.Add(app);
        await app.StartAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps) await app.DisposeAsync();
    }
}
