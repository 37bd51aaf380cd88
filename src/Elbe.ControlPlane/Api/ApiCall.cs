using Elbe.ControlPlane.State;

namespace Elbe.ControlPlane.Api;

/// <summary>One API request on its way through a handler: its parameters and what the handler may use.</summary>
public sealed class ApiCall(QueryParameters parameters, string region, string accountId, IConfigurationStore store, ITargetHealthSource health)
{
    public QueryParameters Parameters { get; } = parameters;
    /// <summary>From the SigV4 credential scope; used for ARNs and DNS names of new resources.</summary>
    public string Region { get; } = region;
    public string AccountId { get; } = accountId;
    public IConfigurationStore Store { get; } = store;
    public ITargetHealthSource Health { get; } = health;
}

/// <summary>
/// Handles one action. Returns the writer of the &lt;{Action}Result&gt; members (null for an empty result) or
/// throws <see cref="ApiException"/>.
/// </summary>
public delegate Task<Action<AwsXmlWriter>?> ApiHandler(ApiCall call);
