using Elbe.ControlPlane.Templates;
using Elbe.DataPlane;
using Elbe.Model.Resources;
using Elbe.Routing.Health;
using Microsoft.Extensions.Logging;

namespace Elbe.Hosting;

/// <summary>
/// A running Elbe: the template (and later the API) feeding configurations to the data plane.
/// `elbe serve` runs one; end-to-end tests start several in one process.
/// </summary>
public sealed class ElbeServer : IAsyncDisposable
{
    private readonly ElbeServerOptions _options;
    private readonly LoadBalancingDataPlane _dataPlane;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _applyGate = new(1, 1);
    private TemplateWatcher? _watcher;
    private volatile ElbeConfiguration _configuration = ElbeConfiguration.Empty;
    private volatile Exception? _lastReloadError;
    private long _generation;
    private long _refusals;

    private ElbeServer(ElbeServerOptions options, ILoggerFactory loggerFactory)
    {
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("Elbe");
        _dataPlane = new LoadBalancingDataPlane(loggerFactory, options.TimeScale);
    }

    /// <summary>Loads the template, starts every listener, and returns once they accept connections. Throws TemplateException for a bad template.</summary>
    public static async Task<ElbeServer> StartAsync(ElbeServerOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        var server = new ElbeServer(options, loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        try
        {
            if (options.ConfigPath is { } path)
            {
                var configuration = server.LoadTemplate(path);
                await server.ApplyAsync(configuration, cancellationToken);
                server._watcher = new TemplateWatcher(path, server.LoadContext() with { Previous = configuration });
                server._watcher.Loaded += configuration => _ = server.ReloadAsync(configuration);
                server._watcher.Failed += error => server.Refuse(error);
                server._watcher.Start();
            }
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The configuration currently applied to the data plane.</summary>
    public ElbeConfiguration Configuration => _configuration;

    /// <summary>Increments each time a configuration is applied.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>The error of the last template reload that was refused, or null if the last reload was applied.</summary>
    public Exception? LastReloadError => _lastReloadError;

    /// <summary>Completes once <see cref="Generation"/> reaches <paramref name="generation"/> (or a reload is refused, when <paramref name="orRefused"/>).</summary>
    public async Task WaitForGenerationAsync(long generation, TimeSpan timeout, bool orRefused = false)
    {
        var refusalsAtStart = Interlocked.Read(ref _refusals);
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (Generation < generation && !(orRefused && Interlocked.Read(ref _refusals) > refusalsAtStart))
        {
            if (Environment.TickCount64 > deadline)
                throw new TimeoutException($"Configuration generation {generation} not applied within {timeout} (now {Generation}; last reload error: {_lastReloadError?.Message ?? "none"})");
            await Task.Delay(20);
        }
    }

    public LoadBalancer LoadBalancer(string name) =>
        _configuration.LoadBalancers.FirstOrDefault(lb => lb.Name == name) ?? throw new KeyNotFoundException($"No load balancer named {name}");

    public TargetGroup TargetGroup(string name) =>
        _configuration.TargetGroups.FirstOrDefault(tg => tg.Name == name) ?? throw new KeyNotFoundException($"No target group named {name}");

    /// <summary>Target states as DescribeTargetHealth reports them, including draining targets no longer in the configuration.</summary>
    public IReadOnlyList<TargetHealthDescription> DescribeTargetHealth(string targetGroupArn)
    {
        var described = _dataPlane.DescribeTargetHealth(targetGroupArn);
        var list = new List<TargetHealthDescription>(described.Count);
        foreach (var (target, port, health) in described) list.Add(new TargetHealthDescription(target.Description, port, health));
        return list;
    }

    private TemplateLoadContext LoadContext() => new() { Region = _options.Region, Subnets = _options.Subnets };

    private ElbeConfiguration LoadTemplate(string path)
    {
        var context = LoadContext() with { Previous = _configuration };
        var configuration = TemplateLoader.Load(path, context);
        foreach (var warning in context.Warnings) _logger.LogWarning("{Warning}", warning.ToString());
        return configuration;
    }

    private async Task ReloadAsync(ElbeConfiguration configuration)
    {
        try
        {
            await ApplyAsync(configuration, CancellationToken.None);
            _lastReloadError = null;
            foreach (var warning in _watcher?.Warnings ?? []) _logger.LogWarning("{Warning}", warning.ToString());
            _logger.LogInformation("Template reloaded and applied (generation {Generation})", Generation);
        }
        catch (Exception error)
        {
            Refuse(error);
        }
    }

    private void Refuse(Exception error)
    {
        _lastReloadError = error;
        Interlocked.Increment(ref _refusals);
        _logger.LogError("Template change refused, nothing of it applied:\n{Error}", error.Message);
    }

    private async Task ApplyAsync(ElbeConfiguration configuration, CancellationToken cancellationToken)
    {
        await _applyGate.WaitAsync(cancellationToken);
        try
        {
            await _dataPlane.ApplyAsync(configuration, cancellationToken);
            _configuration = configuration;
            Interlocked.Increment(ref _generation);
        }
        finally
        {
            _applyGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _watcher?.Dispose();
        await _dataPlane.DisposeAsync();
    }
}

public sealed record TargetHealthDescription(TargetDescription Target, string HealthCheckPort, TargetHealth TargetHealth);
