using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Elbe.Commands;
using Elbe.ControlPlane.Server;
using Elbe.ControlPlane.State;
using Elbe.ControlPlane.Templates;
using Elbe.Demo;
using Elbe.Hosting;
using Microsoft.Extensions.Logging;

// First of all, while nothing is started that a restart in place would lose: JIT-compiled code without W^X.
Elbe.Startup.WriteXorExecute.TurnOffByRestarting();
// Before anything touches OpenSSL: TLS 1.0/1.1 for the policies that allow them, and ALB's cipher lists as its defaults.
Elbe.DataPlane.Listeners.Tls.ProcessTlsDefaults.Enable();
// Before anything opens a socket: requests run on the thread that read them.
Elbe.DataPlane.Listeners.InlineSocketCompletions.Enable();

const string Usage = """
    usage:
      elbe serve [--config FILE] [--server-config FILE] [--data DIR] [--api HOST:PORT] [--region REGION]
                 [--demo-targets PORTS]
      elbe demo-targets [--ports 9001,9002,9003]

    serve         runs the load balancers a CloudFormation template describes (re-applied when the
                  file changes) and those created through the ELBv2 API on --api (default
                  127.0.0.1:4580); state lives in SQLite under --data (default ./data).
                  --demo-targets also starts demo HTTP targets on 127.0.0.1 at the given
                  comma-separated ports (for the examples/). --server-config maps subnets to real
                  interface addresses (see README).
    demo-targets  runs only the demo targets.
    """;

CommandLine command;
try
{
    command = new CommandLine(args, new HashSet<string> { "config", "server-config", "data", "api", "region", "demo-targets", "ports", "time-scale" });
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"elbe: {e.Message}\n{Usage}");
    return 2;
}

// SIGINT and SIGTERM stop Elbe gracefully: listeners stop accepting and in-flight requests finish. The embedded
// Kestrel hosts register their own signal handlers too, so ours must be explicit to be called at all.
var stop = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

switch (command.Verb)
{
    case "serve":
        return await ServeAsync(command, stop.Token);
    case "demo-targets":
        if (ParsePorts(command.Get("ports") ?? "9001,9002,9003") is not { } demoPorts) return 2;
        await using (await DemoTargets.StartAsync(demoPorts))
        {
            Console.WriteLine($"demo targets on 127.0.0.1 ports {command.Get("ports") ?? "9001,9002,9003"}; Ctrl-C stops them");
            await WaitAsync(stop.Token);
        }
        return 0;
    default:
        Console.Error.WriteLine(Usage);
        return 2;
}

static async Task<int> ServeAsync(CommandLine command, CancellationToken stop)
{
    var configPath = command.Get("config");
    using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; })
        .SetMinimumLevel(LogLevel.Information)
        // YARP logs every forwarded request at Information: far too costly (and noisy) for a load balancer.
        .AddFilter("Yarp", LogLevel.Warning));
    ServerConfig serverConfig;
    try
    {
        serverConfig = command.Get("server-config") is { } serverConfigPath ? ServerConfigLoader.Load(serverConfigPath) : new ServerConfig();
    }
    catch (Exception e) when (e is TemplateException or IOException)
    {
        Console.Error.WriteLine($"elbe: the server config was refused:\n{e.Message}");
        return 1;
    }
    var api = command.Get("api") ?? "127.0.0.1:4580";
    if (!IPEndPoint.TryParse(api, out var apiEndpoint) || apiEndpoint.Port == 0)
    {
        Console.Error.WriteLine($"elbe: --api takes HOST:PORT with a numeric address, not '{api}'");
        return 2;
    }
    var timeScale = 1.0;
    if (command.Get("time-scale") is { } scale
        && (!double.TryParse(scale, NumberStyles.Float, CultureInfo.InvariantCulture, out timeScale) || !double.IsFinite(timeScale) || timeScale <= 0))
    {
        Console.Error.WriteLine($"elbe: --time-scale takes a positive number, not '{scale}'");
        return 2;
    }
    int[]? demoPorts = null;
    if (command.Get("demo-targets") is { } ports && (demoPorts = ParsePorts(ports)) is null) return 2;
    var options = new ElbeServerOptions
    {
        Subnets = serverConfig.Subnets,
        ConfigPath = configPath,
        Region = command.Get("region") ?? "us-east-1",
        DataDirectory = command.Get("data") ?? "./data",
        ApiEndpoint = api,
        TimeScale = timeScale,
    };

    DemoTargets? demo;
    try
    {
        demo = demoPorts is null ? null : await DemoTargets.StartAsync(demoPorts, stop);
    }
    catch (IOException e)
    {
        Console.Error.WriteLine($"elbe: cannot start the demo targets: {e.Message}");
        return 1;
    }
    catch (OperationCanceledException)
    {
        return 0;
    }
    await using var demoTargets = demo;
    ElbeServer server;
    try
    {
        server = await ElbeServer.StartAsync(options, loggerFactory, stop);
    }
    catch (TemplateException e)
    {
        Console.Error.WriteLine($"elbe: the template was refused, nothing was started:\n{e.Message}");
        return 1;
    }
    catch (TemplateMergeException e)
    {
        Console.Error.WriteLine($"elbe: the template clashes with resources created through the API, nothing was started:\n{string.Join("\n", e.Errors.Select(x => $"{x.Code}: {x.Message}"))}");
        return 1;
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException)
    {
        // An unreadable template or data directory, a listener address already in use, a data directory another
        // Elbe holds or a newer Elbe wrote.
        Console.Error.WriteLine($"elbe: {e.Message}");
        return 1;
    }
    catch (OperationCanceledException)
    {
        // Stopped while starting: StartAsync has closed whatever it had opened.
        return 0;
    }
    await using (server)
    {
        foreach (var lb in server.Configuration.LoadBalancers)
            Console.WriteLine($"{lb.Name} ({lb.DnsName}) nodes: {string.Join(", ", lb.Nodes.Select(n => $"{n.IpAddress} ({n.ZoneName})"))}");
        Console.WriteLine(configPath is null
            ? $"region {options.Region}; state in {options.DataDirectory}; Ctrl-C stops"
            : $"region {options.Region}; state in {options.DataDirectory}; watching {configPath} for changes; Ctrl-C stops");
        if (server.Credentials is { } credentials)
            Console.WriteLine($"ELBv2 API on http://{options.ApiEndpoint}/ (region {options.Region})\n{credentials.UsageHint(options.ApiEndpoint!, options.Region)}");
        await WaitAsync(stop);
    }
    return 0;
}

static int[]? ParsePorts(string text)
{
    var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    var ports = new int[parts.Length];
    for (var i = 0; i < parts.Length; i++)
    {
        if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out ports[i]) || ports[i] is < 1 or > 65535)
        {
            Console.Error.WriteLine($"elbe: ports are comma-separated numbers from 1 to 65535, not '{text}'");
            return null;
        }
    }
    return ports;
}

static async Task WaitAsync(CancellationToken stop)
{
    try { await Task.Delay(Timeout.Infinite, stop); }
    catch (OperationCanceledException) { }
}
