using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

// The single upstream every proxy in the benchmark forwards to. It must be much cheaper per request than any
// proxy, so it does the least Kestrel allows: no routing, no logging, one preallocated 13-byte body for every
// path (the proxies' health checks land here too).
var endpoint = IPEndPoint.Parse(args.Length > 0 ? args[0] : "127.0.0.1:9101");
byte[] body = "Hello, World!"u8.ToArray();

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Listen(endpoint, listen => listen.Protocols = HttpProtocols.Http1);
});

var app = builder.Build();
app.Run(context =>
{
    var response = context.Response;
    response.StatusCode = 200;
    response.ContentType = "text/plain";
    response.ContentLength = body.Length;
    return response.Body.WriteAsync(body).AsTask();
});
app.Run();
