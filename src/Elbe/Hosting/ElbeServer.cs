using System.Net;
using Elbe.ControlPlane.Api;
using Elbe.ControlPlane.Api.Actions;
using Elbe.ControlPlane.Signing;
using Elbe.ControlPlane.State;
using Elbe.ControlPlane.Templates;
using Elbe.DataPlane;
using Elbe.Model.Resources;
using Elbe.Routing.Health;
using Microsoft.Extensions.Logging;

namespace Elbe.Hosting;

/// <summary>
/// A running Elbe. Configuration flows one way: the template and the API both change the durable store; every
/// committed change is applied to the data plane, newest first, one at a time. `elbe serve` runs one; end-to-end
/// tests start several in one process.
/// </summary>
public sealed class ElbeServer : IAsyncDisposable
{
    private readonly ElbeServerOptions _options;
    private readonly LoadBalancingDataPlane _dataPlane;
    private readonly ILogger _logger;
    private readonly SqliteConfigurationStore _store;
    private readonly SemaphoreSlim _applySignal = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _applyGate = new();
    private TemplateWatcher? _watcher;
    private ApiEndpoint? _api;
    private Task? _applyLoop;
    private ElbeConfiguration? _pending;
    private volatile ElbeConfiguration _configuration = ElbeConfiguration.Empty;
    private volatile Exception? _lastReloadError;
    private long _generation;
    private long _refusals;

    private ElbeServer(ElbeServerOptions options, ILoggerFactory loggerFactory, SqliteConfigurationStore store)
    {
        _options = options;
        _logger = loggerFactory.CreateLogger("Elbe");
        _dataPlane = new LoadBalancingDataPlane(loggerFactory, options.TimeScale);
        _store = store;
    }

    /// <summary>
    /// Opens the store, imports the template, starts every listener and the API, and returns once they accept
    /// connections. Throws TemplateException for a bad template and TemplateMergeException when it clashes with
    /// what the API created.
    /// </summary>
    public static async Task<ElbeServer> StartAsync(ElbeServerOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        loggerFactory ??= Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        var credentials = options.ApiEndpoint is null ? null : ResolveCredentials(options);
        var store = SqliteConfigurationStore.Open(options.DataDirectory, options.Region, credentials?.AccountId ?? Model.Identifiers.Arns.DefaultAccountId);
        var server = new ElbeServer(options, loggerFactory, store);
        try
        {
            if (options.ConfigPath is { } path)
                await store.ApplyTemplateAsync(server.LoadTemplate(path), cancellationToken: cancellationToken);
            await server.ApplyAsync(store.Current, cancellationToken);
            store.Changed += server.Schedule;
            server._applyLoop = Task.Run(server.ApplyChangesAsync, CancellationToken.None);

            if (options.ConfigPath is { } watched)
            {
                server._watcher = new TemplateWatcher(watched, server.LoadContext() with { Previous = store.Current });
                server._watcher.Loaded += _ => server.ReimportTemplateInBackground(watched);
                server._watcher.Failed += server.Refuse;
                server._watcher.Start();
            }
            if (options.ApiEndpoint is { } api)
            {
                server.Credentials = credentials;
                server._api = await ApiEndpoint.StartAsync(IPEndPoint.Parse(api), Elbv2Actions.CreateTable(), new SigV4Verifier(credentials!), store,
                    new DataPlaneTargetHealth(server._dataPlane), options.Subnets, Path.GetFullPath(options.DataDirectory), server._logger, cancellationToken);
            }
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The key pair the API accepts (null without an API).</summary>
    public ApiCredentials? Credentials { get; private set; }

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

    private static ApiCredentials ResolveCredentials(ElbeServerOptions options) =>
        options.AccessKeyId is { } key && options.SecretAccessKey is { } secret
            ? new ApiCredentials(key, secret)
            : ApiCredentials.Resolve(options.DataDirectory, Environment.GetEnvironmentVariables());

    private TemplateLoadContext LoadContext() => new() { Region = _options.Region, Subnets = _options.Subnets };

    /// <summary>Loads against the store's current state, so node addresses stay put and never collide with API-made ones.</summary>
    private ElbeConfiguration LoadTemplate(string path)
    {
        var context = LoadContext() with { Previous = _store.Current };
        var configuration = TemplateLoader.Load(path, context);
        foreach (var warning in context.Warnings) _logger.LogWarning("{Warning}", warning.ToString());
        return configuration;
    }

    private void ReimportTemplateInBackground(string path) => _ = ReimportTemplateAsync(path);

    private async Task ReimportTemplateAsync(string path)
    {
        try
        {
            var result = await _store.ApplyTemplateAsync(LoadTemplate(path));
            _lastReloadError = null;
            _logger.LogInformation("Template reloaded: {Inserted} added, {Replaced} changed, {Deleted} removed", result.Inserted.Count, result.Replaced.Count, result.Deleted.Count);
            if (!result.ChangedAnything) Interlocked.Increment(ref _generation);
        }
        catch (Exception error) when (error is TemplateException or TemplateMergeException or IOException)
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

    /// <summary>Store commits arrive here; only the newest pending configuration is applied.</summary>
    private void Schedule(ElbeConfiguration configuration)
    {
        lock (_applyGate) _pending = configuration;
        _applySignal.Release();
    }

    private async Task ApplyChangesAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try { await _applySignal.WaitAsync(_stopping.Token); }
            catch (OperationCanceledException) { return; }
            ElbeConfiguration? next;
            lock (_applyGate)
            {
                next = _pending;
                _pending = null;
            }
            if (next is null) continue;
            try
            {
                await ApplyAsync(next, _stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                _logger.LogError(error, "Applying the configuration to the data plane failed");
            }
        }
    }

    private async Task ApplyAsync(ElbeConfiguration configuration, CancellationToken cancellationToken)
    {
        await _dataPlane.ApplyAsync(configuration, cancellationToken);
        _configuration = configuration;
        Interlocked.Increment(ref _generation);
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _watcher?.Dispose();
        if (_api is not null) await _api.DisposeAsync();
        if (_applyLoop is not null) await _applyLoop;
        await _dataPlane.DisposeAsync();
        _store.Dispose();
    }
}

public sealed record TargetHealthDescription(TargetDescription Target, string HealthCheckPort, TargetHealth TargetHealth);
