using Elbe.Model.Resources;
using Elbe.Routing.Health;

namespace Elbe.Hosting;

/// <summary>
/// A running Elbe: the template (and later the API) feeding configurations to the data plane.
/// `elbe serve` runs one; end-to-end tests start several in one process.
/// </summary>
public sealed partial class ElbeServer : IAsyncDisposable
{
    /// <summary>Loads the template, starts every listener, and returns once they accept connections. Throws TemplateException for a bad template.</summary>
    public static Task<ElbeServer> StartAsync(ElbeServerOptions options, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>The configuration currently applied to the data plane.</summary>
    public ElbeConfiguration Configuration => throw new NotImplementedException();

    /// <summary>Increments each time a configuration is applied.</summary>
    public long Generation => throw new NotImplementedException();

    /// <summary>The error of the last template reload that was refused, or null if the last reload was applied.</summary>
    public Exception? LastReloadError => throw new NotImplementedException();

    /// <summary>Completes once <see cref="Generation"/> reaches <paramref name="generation"/> (or a reload is refused, when <paramref name="orRefused"/>).</summary>
    public Task WaitForGenerationAsync(long generation, TimeSpan timeout, bool orRefused = false) => throw new NotImplementedException();

    public LoadBalancer LoadBalancer(string name) => throw new NotImplementedException();

    public TargetGroup TargetGroup(string name) => throw new NotImplementedException();

    /// <summary>Target states as DescribeTargetHealth reports them, including draining targets no longer in the configuration.</summary>
    public IReadOnlyList<TargetHealthDescription> DescribeTargetHealth(string targetGroupArn) => throw new NotImplementedException();

    public ValueTask DisposeAsync() => throw new NotImplementedException();
}

public sealed record TargetHealthDescription(TargetDescription Target, string HealthCheckPort, TargetHealth TargetHealth);
