using Elbe.ControlPlane.State;
using Elbe.Model.Resources;
using Elbe.Model.Validation;

namespace Elbe.ControlPlane.Api;

/// <summary>One API request on its way through a handler: its parameters and what the handler may use.</summary>
public sealed class ApiCall(QueryParameters parameters, string region, string accountId, IConfigurationStore store, ITargetHealthSource health, IReadOnlyList<Subnet>? subnets = null, string? dataDirectory = null, HostFacts? host = null)
{
    public QueryParameters Parameters { get; } = parameters;
    /// <summary>From the SigV4 credential scope; used for ARNs and DNS names of new resources.</summary>
    public string Region { get; } = region;
    public string AccountId { get; } = accountId;
    public IConfigurationStore Store { get; } = store;
    public ITargetHealthSource Health { get; } = health;
    /// <summary>The subnets this server has (the default VPC unless the server config maps others); load balancer nodes are placed in them.</summary>
    public IReadOnlyList<Subnet> Subnets { get; } = subnets ?? Zones.DefaultSubnets(region);
    /// <summary>The server's data directory: where relative local paths (trust-store bundles) resolve.</summary>
    public string DataDirectory { get; } = dataDirectory ?? Environment.CurrentDirectory;
    /// <summary>What this host can do, probed once at startup: settings it cannot honour are refused.</summary>
    public HostFacts Host { get; } = host ?? HostFacts.Capable;
}

/// <summary>
/// Handles one action. Returns the writer of the &lt;{Action}Result&gt; members (null for an empty result) or
/// throws <see cref="ApiException"/>.
/// </summary>
public delegate Task<Action<AwsXmlWriter>?> ApiHandler(ApiCall call);
