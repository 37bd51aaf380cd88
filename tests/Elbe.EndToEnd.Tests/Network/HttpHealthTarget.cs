using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Elbe.EndToEnd.Tests.Network;

/// <summary>
/// A target's health-check port for an NLB group's HTTP or HTTPS checks: answers every GET with the status the test
/// sets and remembers what the last check sent (Host, User-Agent, path, whether it came over TLS).
/// </summary>
public sealed class HttpHealthTarget : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile int _status = 200;
    private volatile string? _lastHost;
    private volatile string? _lastUserAgent;
    private volatile string? _lastPath;
    private int _checks;
    private int _tlsChecks;

    private HttpHealthTarget(WebApplication app) => _app = app;

    public int Port { get; private set; }
    public int Checks => Volatile.Read(ref _checks);
    public int TlsChecks => Volatile.Read(ref _tlsChecks);
    public string? LastHost => _lastHost;
    public string? LastUserAgent => _lastUserAgent;
    public string? LastPath => _lastPath;

    public void Answer(int status) => _status = status;

    /// <param name="certificate">Serve HTTPS with it (self-signed: the checks must not verify it); null serves HTTP.</param>
    public static async Task<HttpHealthTarget> StartAsync(X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null) listen.UseHttps(certificate);
        }));
        var app = builder.Build();
        var target = new HttpHealthTarget(app);
        app.Run(context =>
        {
            target._lastHost = context.Request.Headers.Host.ToString();
            target._lastUserAgent = context.Request.Headers.UserAgent.ToString();
            target._lastPath = context.Request.Path.Value;
            if (context.Request.IsHttps) Interlocked.Increment(ref target._tlsChecks);
            Interlocked.Increment(ref target._checks);
            context.Response.StatusCode = target._status;
            return Task.CompletedTask;
        });
        await app.StartAsync();
        target.Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
        return target;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
