using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Yarp.ReverseProxy.Forwarder;

// The floor of YARP-based forwarding: Kestrel hands every request straight to IHttpForwarder, with one shared
// SocketsHttpHandler pool, no routing, no rules, no health state. Whatever Elbe costs above this is Elbe's own
// work (ALB checks, rule evaluation, target picking, its request transformer), not YARP's or Kestrel's.
// Usage: yarp-baseline LISTEN_ENDPOINT DESTINATION_PREFIX [--log-forwarder]
var listen = IPEndPoint.Parse(args.Length > 0 ? args[0] : "127.0.0.1:8092");
var destination = args.Length > 1 ? args[1] : "http://127.0.0.1:9101";
var logForwarder = args.Contains("--log-forwarder");

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
if (logForwarder)
{
    // Diagnostic variant: reproduces what `elbe serve` does today, a single-line console logger at Information
    // that YARP's forwarder writes two lines per request to. Only the Yarp category logs, as in Elbe, whose
    // listeners drop Kestrel's and hosting's loggers. The gap between the two baselines is the logging cost.
    builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.Logging.AddFilter("Yarp", LogLevel.Information);
}
builder.Services.AddHttpForwarder();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    // The same Kestrel shape as Elbe's listeners: HTTP/1.1 only, no Server header.
    kestrel.AddServerHeader = false;
    kestrel.Listen(listen, options => options.Protocols = HttpProtocols.Http1);
});

var app = builder.Build();

// Settings mirror Elbe's TargetForwarder pool, so the two differ only in what runs around SendAsync.
using var client = new HttpMessageInvoker(new SocketsHttpHandler
{
    UseProxy = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    UseCookies = false,
    ActivityHeadersPropagator = null,
    ConnectTimeout = TimeSpan.FromSeconds(10),
    PooledConnectionIdleTimeout = TimeSpan.FromSeconds(55),
});
var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
var config = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(60) };

// HttpTransformer.Default adds X-Forwarded-For/Proto/Host/Prefix: roughly the header work Elbe and the
// HAProxy config also do, so the comparison is not flattered by a transformer that does nothing.
app.Run(async context =>
{
    var error = await forwarder.SendAsync(context, destination, client, config, HttpTransformer.Default);
    if (error != ForwarderError.None && !context.Response.HasStarted) context.Response.StatusCode = 502;
});
app.Run();
