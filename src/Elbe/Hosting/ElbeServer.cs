using System.Net;
using Elbe.ControlPlane.Api;
using Elbe.ControlPlane.Api.Actions;
using Elbe.ControlPlane.Certificates;
using Elbe.ControlPlane.Signing;
using Elbe.ControlPlane.State;
using Elbe.ControlPlane.Templates;
using Elbe.DataPlane;
using Elbe.DataPlane.Network;
using Elbe.Model.Resources;
using Elbe.Model.Validation;
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
    private readonly SemaphoreSlim _reimportSignal = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _applyGate = new();
    private TemplateWatcher? _watcher;
    private ApiEndpoint? _api;
    private Task? _applyLoop;
    private Task? _reimportLoop;
    private int _reimportRequested;
    private ElbeConfiguration? _pending;
    private volatile ElbeConfiguration _configuration = ElbeConfiguration.Empty;
    private volatile Exception? _lastReloadError;
    private long _generation;
    private int _disposed;
    private long _refusals;
    private readonly HostFacts _hostFacts;

    private ElbeServer(ElbeServerOptions options, ILoggerFactory loggerFactory, SqliteConfigurationStore store)
    {
        _options = options;
        _logger = loggerFactory.CreateLogger("Elbe");
        _dataPlane = new LoadBalancingDataPlane(loggerFactory, options.Subnets ?? Zones.DefaultSubnets(options.Region), options.TimeScale, options.UdpFlowCapacity);
        _store = store;
        // Probed once: the API and the template loader refuse what this host cannot do rather than the data plane failing later.
        _hostFacts = new HostFacts { ClientIpPreservationUnavailable = options.ClientIpPreservationUnavailable ?? ClientIpPreservation.WhyUnavailable };
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
                await store.ApplyTemplateAsync(current => server.LoadTemplate(path, current), cancellationToken: cancellationToken);
            await server.ApplyAsync(store.Current, cancellationToken);
            store.Changed += server.Schedule;
            server._applyLoop = Task.Run(server.ApplyChangesAsync, CancellationToken.None);

            if (options.ConfigPath is { } watched)
            {
                server._reimportLoop = Task.Run(() => server.ReimportTemplateAsync(watched), CancellationToken.None);
                server._watcher = new TemplateWatcher(watched, server.LoadContext() with { Previous = store.Current });
                // The server loads the template itself, under the store's lock; the watcher only says when.
                server._watcher.ContentChanged += server.RequestReimport;
                server._watcher.Start();
            }
            if (options.ApiEndpoint is { } api)
            {
                server.Credentials = credentials;
                server._api = await ApiEndpoint.StartAsync(IPEndPoint.Parse(api), Elbv2Actions.CreateTable(), new SigV4Verifier(credentials!), store,
                    new DataPlaneTargetHealth(server._dataPlane), options.Subnets, Path.GetFullPath(options.DataDirectory), server._hostFacts, server._logger, cancellationToken);
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

    /// <summary>
    /// Imports a certificate as ACM's ImportCertificate does, through the same store commit as the API, and returns
    /// its ARN. With <paramref name="certificateArn"/> it re-imports onto that certificate (same ARN, Version + 1),
    /// which rotates it on the listeners using it. Throws <see cref="AcmException"/> with ACM's error when refused.
    /// </summary>
    public Task<string> ImportCertificateAsync(string certificatePem, string privateKeyPem, string? certificateChainPem = null,
        string? certificateArn = null, CancellationToken cancellationToken = default) =>
        CertificateImport.ImportAsync(_store, _store.Region, _store.AccountId, certificatePem, privateKeyPem, certificateChainPem, certificateArn,
            tags: null, DateTimeOffset.UtcNow, cancellationToken);

    public LoadBalancer LoadBalancer(string name) =>
        _configuration.LoadBalancers.FirstOrDefault(lb => lb.Name == name) ?? throw new KeyNotFoundException($"No load balancer named {name}");

    public TargetGroup TargetGroup(string name) =>
        _configuration.TargetGroups.FirstOrDefault(tg => tg.Name == name) ?? throw new KeyNotFoundException($"No target group named {name}");

    /// <summary>A Network Load Balancer listener the data plane relays, with its flow counters; null when it is not served.</summary>
    public Elbe.DataPlane.Network.NetworkListenerHost? NetworkListener(string listenerArn) => _dataPlane.NetworkListener(listenerArn);

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

    private TemplateLoadContext LoadContext() => new() { Region = _options.Region, Subnets = _options.Subnets, Host = _hostFacts };

    /// <summary>
    /// Loads against the configuration the import is merged into (the store calls this under its writer lock), so
    /// node addresses stay put and never collide with API-made ones, not even one created a moment ago.
    /// </summary>
    private (ElbeConfiguration, IReadOnlyDictionary<string, string>?) LoadTemplate(string path, ElbeConfiguration current)
    {
        var context = LoadContext() with { Previous = current };
        var loaded = TemplateLoader.LoadWithFingerprints(path, context);
        foreach (var warning in context.Warnings) _logger.LogWarning("{Warning}", warning.ToString());
        return (loaded.Configuration, loaded.Fingerprints);
    }

    /// <summary>Several edits in quick succession need only one import, of the file as it is by then.</summary>
    private void RequestReimport()
    {
        if (Interlocked.Exchange(ref _reimportRequested, 1) == 0) _reimportSignal.Release();
    }

    /// <summary>
    /// Imports the template each time the watcher saw it change, one import at a time, so an older read of the file
    /// can never be committed after a newer one.
    /// </summary>
    private async Task ReimportTemplateAsync(string path)
    {
        while (true)
        {
            try { await _reimportSignal.WaitAsync(_stopping.Token); }
            catch (OperationCanceledException) { return; }
            Interlocked.Exchange(ref _reimportRequested, 0);
            try
            {
                var result = await _store.ApplyTemplateAsync(current => LoadTemplate(path, current), cancellationToken: _stopping.Token);
                _lastReloadError = null;
                _logger.LogInformation("Template reloaded: {Inserted} added, {Replaced} changed, {Deleted} removed", result.Inserted.Count, result.Replaced.Count, result.Deleted.Count);
                if (!result.ChangedAnything) Interlocked.Increment(ref _generation);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                // A template that does not load or merge, an unreadable file, or a store that failed to write: the
                // stored state is as it was, and the next edit tries again.
                Refuse(error);
            }
        }
    }

    private void Refuse(Exception error)
    {
        _lastReloadError = error;
        Interlocked.Increment(ref _refusals);
        if (error is TemplateException or TemplateMergeException or IOException or UnauthorizedAccessException)
            _logger.LogError("Template change refused, nothing of it applied:\n{Error}", error.Message);
        else
            _logger.LogError(error, "Template change refused, nothing of it applied");
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
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stopping.Cancel();
        _watcher?.Dispose();
        if (_api is not null) await _api.DisposeAsync();
        // The import and apply loops end on _stopping; the store and data plane they use are closed after them.
        if (_reimportLoop is not null) await _reimportLoop;
        if (_applyLoop is not null) await _applyLoop;
        await _dataPlane.DisposeAsync();
        _store.Dispose();
    }
}

public sealed record TargetHealthDescription(TargetDescription Target, string HealthCheckPort, TargetHealth TargetHealth);
