using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Elbe.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real Kestrel target on 127.0.0.1 (or another loopback address, to place it in a subnet's zone) with a random port. Every answer carries the backend's name so tests can
/// tell where the load balancer sent a request; counters exclude health checks so traffic shares stay exact.
/// </summary>
public sealed class BackendServer : IAsyncDisposable
{
    public const string HealthPath = "/health";

    private readonly WebApplication app;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> requestsByMethod = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> connections = new(StringComparer.Ordinal);
    private int inFlight;
    private int totalRequests;
    private int healthChecks;
    private volatile bool healthy = true;
    private volatile string? lastHealthCheckUserAgent;
    private long healthDelayTicks;
    private long responseDelayTicks;

    private BackendServer(string name, WebApplication app, IPAddress address, int port)
    {
        Name = name;
        this.app = app;
        Address = address.ToString();
        Port = port;
    }

    public string Name { get; }
    public string Address { get; }
    public int Port { get; }
    public int InFlight => Volatile.Read(ref inFlight);
    public int TotalRequests => Volatile.Read(ref totalRequests);
    public int HealthChecks => Volatile.Read(ref healthChecks);
    public string? LastHealthCheckUserAgent => lastHealthCheckUserAgent;
    public int RequestsByMethod(string method) => requestsByMethod.GetValueOrDefault(method);
    /// <summary>How many different connections non-health requests arrived on.</summary>
    public int DistinctConnections => connections.Count;

    /// <summary>Switches what /health answers: 200 when healthy, 500 otherwise.</summary>
    public void SetHealthy(bool isHealthy) => healthy = isHealthy;

    /// <summary>Holds /health answers back, so a target can be kept in its initial state for a while.</summary>
    public void SetHealthDelay(TimeSpan delay) => Interlocked.Exchange(ref healthDelayTicks, delay.Ticks);

    /// <summary>Delays every non-health answer, so the backend looks busy to least-outstanding-requests.</summary>
    public void SetResponseDelay(TimeSpan delay) => Interlocked.Exchange(ref responseDelayTicks, delay.Ticks);

    public static async Task<BackendServer> StartAsync(string name, IPAddress? address = null)
    {
        address ??= IPAddress.Loopback;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address, 0);
            // The load balancer accepts request lines up to 16 K and forwards them; the target must not be the narrower pipe.
            kestrel.Limits.MaxRequestLineSize = 64 * 1024;
            kestrel.Limits.MaxRequestHeadersTotalSize = 128 * 1024;
        });
        var app = builder.Build();
        BackendServer? self = null;
        app.UseWebSockets();
        app.Use(async (context, next) =>
        {
            var server = self!;
            if (context.Request.Path.Equals(HealthPath, StringComparison.Ordinal))
            {
                await server.AnswerHealthAsync(context);
                return;
            }
            Interlocked.Increment(ref server.totalRequests);
            server.requestsByMethod.AddOrUpdate(context.Request.Method, 1, (_, count) => count + 1);
            server.connections.TryAdd(context.Connection.Id, 0);
            Interlocked.Increment(ref server.inFlight);
            try
            {
                var delay = TimeSpan.FromTicks(Interlocked.Read(ref server.responseDelayTicks));
                if (delay > TimeSpan.Zero)
                    await Task.Delay(delay, context.RequestAborted);
                context.Response.Headers["X-Backend"] = server.Name;
                await next(context);
            }
            finally
            {
                Interlocked.Decrement(ref server.inFlight);
            }
        });
        app.Map("/echo/{**rest}", (HttpContext context) => self!.EchoAsync(context));
        app.Map("/slow", async (HttpContext context) =>
        {
            var ms = int.TryParse(context.Request.Query["ms"], out var parsed) ? parsed : 1000;
            await Task.Delay(Math.Clamp(ms, 0, 30_000), context.RequestAborted);
            await context.Response.WriteAsync("backend=" + self!.Name);
        });
        // count bytes of a repeating pattern (0, 1, ... 250, 0, ...), so a client can check every byte it got.
        app.Map("/bytes/{count:long}", async (HttpContext context, long count) =>
        {
            context.Response.ContentLength = count;
            var chunk = new byte[64 * 1024];
            for (long sent = 0; sent < count; sent += chunk.Length)
            {
                var size = (int)Math.Min(chunk.Length, count - sent);
                for (var i = 0; i < size; i++) chunk[i] = (byte)((sent + i) % 251);
                await context.Response.Body.WriteAsync(chunk.AsMemory(0, size), context.RequestAborted);
            }
        });
        // The request body's length and SHA-256, to show an upload arrived whole.
        app.Map("/digest", async (HttpContext context) =>
        {
            using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
            var buffer = new byte[64 * 1024];
            long length = 0;
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                length += read;
            }
            var digest = $"{length} {Convert.ToHexString(sha.GetHashAndReset())}";
            context.Response.ContentLength = digest.Length;
            await context.Response.WriteAsync(digest);
        });
        app.Map("/status/{code:int}", async (HttpContext context, int code) =>
        {
            context.Response.StatusCode = code;
            await context.Response.WriteAsync("backend=" + self!.Name);
        });
        app.Map("/setcookie", async (HttpContext context) =>
        {
            var cookieName = context.Request.Query["name"].ToString();
            if (cookieName.Length > 0)
                context.Response.Headers.Append("Set-Cookie", $"{cookieName}={self!.Name}-{Guid.NewGuid():N}; Path=/");
            await context.Response.WriteAsync("backend=" + self!.Name);
        });
        app.Map("/bigheader", async (HttpContext context) =>
        {
            var bytes = int.TryParse(context.Request.Query["bytes"], out var parsed) ? Math.Clamp(parsed, 0, 256 * 1024) : 1024;
            context.Response.Headers["X-Big"] = new string('x', bytes);
            await context.Response.WriteAsync("backend=" + self!.Name);
        });
        app.Map("/ws", async (HttpContext context) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await EchoWebSocketAsync(socket, context.RequestAborted);
        });
        app.Map("/reset", (HttpContext context) =>
        {
            context.Abort();
            return Task.CompletedTask;
        });
        app.Map("/{**rest}", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("backend=" + self!.Name);
        });

        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        self = new BackendServer(name, app, address, new Uri(bound).Port);
        return self;
    }

    private async Task AnswerHealthAsync(HttpContext context)
    {
        Interlocked.Increment(ref healthChecks);
        lastHealthCheckUserAgent = context.Request.Headers.UserAgent.ToString();
        var delay = TimeSpan.FromTicks(Interlocked.Read(ref healthDelayTicks));
        if (delay > TimeSpan.Zero)
        {
            try { await Task.Delay(delay, context.RequestAborted); }
            catch (OperationCanceledException) { return; }
        }
        context.Response.StatusCode = healthy ? 200 : 500;
        await context.Response.WriteAsync(healthy ? "ok" : "sick");
    }

    private async Task EchoAsync(HttpContext context)
    {
        var echoed = new EchoedRequest(
            Name,
            context.Request.Method,
            context.Request.Path.Value ?? "",
            context.Request.QueryString.Value ?? "",
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.Select(v => v ?? "").ToArray()),
            context.Connection.RemoteIpAddress?.ToString() ?? "");
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(echoed));
    }

    private static async Task EchoWebSocketAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[256 * 1024];
        // Bounded so a confused peer cannot keep a test's backend busy forever.
        for (var frames = 0; frames < 10_000 && socket.State == WebSocketState.Open; frames++)
        {
            var received = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(received), cancellationToken);
                received += result.Count;
            }
            while (!result.EndOfMessage && received < buffer.Length);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
                return;
            }
            await socket.SendAsync(buffer.AsMemory(0, received), result.MessageType, true, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await app.StopAsync(timeout.Token); }
        catch (OperationCanceledException) { }
        await app.DisposeAsync();
    }
}
