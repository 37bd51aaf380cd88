using System.Globalization;
using Elbe.Commands;
using Elbe.ControlPlane.Server;
using Elbe.ControlPlane.Templates;
using Elbe.Demo;
using Elbe.Hosting;
using Microsoft.Extensions.Logging;

const string Usage = """
    usage:
      elbe serve --config FILE [--server-config FILE] [--data DIR] [--api HOST:PORT] [--region REGION]
                 [--demo-targets PORTS]
      elbe demo-targets [--ports 9001,9002,9003]

    serve         runs the load balancers a CloudFormation template describes, and re-applies the
                  template when the file changes. --demo-targets also starts demo HTTP targets on
                  127.0.0.1 at the given comma-separated ports (for the examples/).
                  --server-config maps subnets to real interface addresses (see README).
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

// Not disposed: ProcessExit may fire after Main returns.
var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

switch (command.Verb)
{
    case "serve":
        return await ServeAsync(command, stop.Token);
    case "demo-targets":
        await using (await DemoTargets.StartAsync(ParsePorts(command.Get("ports") ?? "9001,9002,9003")))
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
    if (configPath is null)
    {
        Console.Error.WriteLine("elbe serve: --config FILE is required (a CloudFormation template, YAML or JSON)");
        return 2;
    }
    using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; }).SetMinimumLevel(LogLevel.Information));
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
    var options = new ElbeServerOptions
    {
        Subnets = serverConfig.Subnets,
        ConfigPath = configPath,
        Region = command.Get("region") ?? "us-east-1",
        DataDirectory = command.Get("data") ?? "./data",
        ApiEndpoint = command.Get("api") ?? "127.0.0.1:4580",
        TimeScale = command.Get("time-scale") is { } scale ? double.Parse(scale, CultureInfo.InvariantCulture) : 1.0,
    };

    await using var demo = command.Get("demo-targets") is { } ports ? await DemoTargets.StartAsync(ParsePorts(ports), stop) : null;
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
    catch (IOException e)
    {
        Console.Error.WriteLine($"elbe: cannot read {configPath}: {e.Message}");
        return 1;
    }
    await using (server)
    {
        foreach (var lb in server.Configuration.LoadBalancers)
            Console.WriteLine($"{lb.Name} ({lb.DnsName}) nodes: {string.Join(", ", lb.Nodes.Select(n => $"{n.IpAddress} ({n.ZoneName})"))}");
        Console.WriteLine($"region {options.Region}; watching {configPath} for changes; Ctrl-C stops");
        await WaitAsync(stop);
    }
    return 0;
}

static int[] ParsePorts(string text) => [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture))];

static async Task WaitAsync(CancellationToken stop)
{
    try { await Task.Delay(Timeout.Infinite, stop); }
    catch (OperationCanceledException) { }
}
