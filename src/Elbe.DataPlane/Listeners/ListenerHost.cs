using System.Net;
using Elbe.DataPlane.Listeners.Detaching;
using Elbe.DataPlane.Listeners.Tls;
using Elbe.DataPlane.Listeners.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Elbe.DataPlane.Listeners;

/// <summary>
/// One listener's Kestrel server, accepting on the listener port of every node address of its load balancer.
/// A listener gets its own server so it can start and stop (draining) without touching the others.
/// </summary>
public sealed class ListenerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly KestrelServerOptions _kestrel;

    private ListenerHost(WebApplication app, KestrelServerOptions kestrel, ListenerRuntime runtime, IReadOnlyList<IPAddress> addresses)
    {
        _app = app;
        _kestrel = kestrel;
        Runtime = runtime;
        Addresses = addresses;
    }

    public ListenerRuntime Runtime { get; }
    public IReadOnlyList<IPAddress> Addresses { get; }
    public int Port => Runtime.Current.Listener.Port;
    /// <summary>HTTP or HTTPS as started: a listener changing protocol needs a new server, not a new snapshot.</summary>
    public string Protocol { get; private init; } = "";
    /// <summary>Its HTTP/1.1 client connections, and those idle without Kestrel's HTTP state.</summary>
    public IdleConnectionSweep IdleConnections { get; private init; } = null!;

    /// <param name="logger">Hears of failures in the listener's transport (Kestrel's own logging goes to rejections only).</param>
    public static async Task<ListenerHost> StartAsync(IReadOnlyList<IPAddress> addresses, ListenerRuntime runtime, CancellationToken cancellationToken, ILogger? logger = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        if (EventLoopTransportFactory.IsChosen)
            builder.Services.AddSingleton<IConnectionListenerFactory>(services =>
                new EventLoopTransportFactory(services.GetRequiredService<IMemoryPoolFactory<byte>>(), logger ?? NullLogger.Instance));
        else
            builder.WebHost.UseSockets(sockets =>
            {
                // The request path runs on the socket thread that read it (see InlineSocketCompletions).
                sockets.UnsafePreferInlineScheduling = true;
                sockets.CreateBoundListenSocket = DeferredAccept.CreateBoundListenSocket;
            });
        var rejections = new KestrelRejectionReasons();
        var sweep = new IdleConnectionSweep();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(rejections);
        builder.Logging.AddFilter<KestrelRejectionReasons>("Microsoft.AspNetCore.Server.Kestrel.BadRequests", LogLevel.Debug);
        KestrelServerOptions? captured = null;
        var port = runtime.Current.Listener.Port;
        var https = runtime.Current.Tls is not null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            captured = kestrel;
            kestrel.AddServerHeader = false;
            ApplyLimits(kestrel, runtime.Current);
            foreach (var address in addresses)
                kestrel.Listen(address, port, listen =>
                {
                    listen.Protocols = https ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
                    if (https) UseTls(listen, runtime);
                    listen.Use(next => connection => ServeConnectionAsync(connection, next, runtime, sweep, rejections));
                });
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPool.Factory>();
        var app = builder.Build();
        var handler = new ListenerRequestHandler(runtime);
        app.Run(handler.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            // A start cut short (cancelled, or one address of several taken) must not keep any address bound.
            await app.DisposeAsync();
            sweep.Dispose();
            throw;
        }
        return new ListenerHost(app, captured!, runtime, addresses) { Protocol = runtime.Current.Listener.Protocol, IdleConnections = sweep };
    }

    /// <summary>
    /// TLS with options chosen per connection from the snapshot current at its handshake. ALPN is set there too:
    /// h2 is offered only while routing.http2.enabled, so Kestrel accepts both and the handshake decides.
    /// </summary>
    private static void UseTls(ListenOptions listen, ListenerRuntime runtime)
    {
        listen.Use(next => connection => ClientHelloSniffer.SniffAsync(connection, next, ListenerTls.HandshakeTimeout));
        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = context => runtime.Current.Tls is { } tls
                ? tls.OptionsFor(context)
                : throw new InvalidOperationException("The listener is no longer HTTPS."),
            HandshakeTimeout = ListenerTls.HandshakeTimeout,
        });
    }

    /// <summary>
    /// HTTP/1.1 connections go through a <see cref="DetachableConnection"/>, which lets Kestrel's own rejections be
    /// answered as ALB answers them and drops Kestrel's HTTP state while the client is idle. HTTP/2 connections
    /// frame their own errors and are not detached; their output is coalesced (<see cref="Http2OutputCoalescer"/>).
    /// </summary>
    private static Task ServeConnectionAsync(ConnectionContext connection, ConnectionDelegate next, ListenerRuntime runtime, IdleConnectionSweep sweep, KestrelRejectionReasons rejections)
    {
        if (connection.Features.Get<ITlsApplicationProtocolFeature>()?.ApplicationProtocol.Span.SequenceEqual("h2"u8) == true)
        {
            connection.Features.Set(new ConnectionActivity());
            return Http2OutputCoalescer.ServeAsync(connection, next);
        }
        return new DetachableConnection(connection, runtime, sweep, rejections).ServeAsync(next);
    }

    /// <summary>Swaps in a new snapshot; limits that follow attributes (idle timeout) apply to new connections.</summary>
    public void Apply(ListenerSnapshot snapshot)
    {
        ApplyLimits(_kestrel, snapshot);
        Runtime.Swap(snapshot);
    }

    /// <summary>
    /// ALB's request line limit (16 K) and its idle timeout on client connections. Header limits are ALB's
    /// (16 K a line, 64 K in all) but enforced by the request handler, so Kestrel's are set above them.
    /// Body rate minimums are off: ALB only cares about idleness.
    /// </summary>
    private static void ApplyLimits(KestrelServerOptions kestrel, ListenerSnapshot snapshot)
    {
        var limits = kestrel.Limits;
        limits.MaxRequestLineSize = 16 * 1024;
        limits.MaxRequestHeadersTotalSize = 128 * 1024;
        limits.MaxRequestHeaderCount = 10_000;
        limits.MaxRequestBodySize = null;
        limits.MinRequestBodyDataRate = null;
        limits.MinResponseDataRate = null;
        limits.KeepAliveTimeout = snapshot.Settings.IdleTimeout;
        limits.RequestHeadersTimeout = snapshot.Settings.IdleTimeout;
        // ALB's limits for HTTP/2 clients: 128 concurrent streams; a header field over 8 K closes the connection
        // (Kestrel measures it before and after HPACK, ALB compressed only: close enough for real headers).
        limits.Http2.MaxStreamsPerConnection = 128;
        limits.Http2.MaxRequestHeaderFieldSize = 8 * 1024;
    }

    /// <summary>
    /// Stops accepting at once, lets in-flight requests finish for up to <paramref name="drainTimeout"/> or until
    /// <paramref name="cutShort"/> fires, then aborts what is left.
    /// </summary>
    public async Task StopAsync(TimeSpan drainTimeout, CancellationToken cutShort = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cutShort);
        cts.CancelAfter(drainTimeout);
        try { await _app.StopAsync(cts.Token); }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5));
        await _app.DisposeAsync();
        IdleConnections.Dispose();
    }
}
