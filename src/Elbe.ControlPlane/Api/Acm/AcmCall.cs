using System.Text.Json;
using Elbe.ControlPlane.State;

namespace Elbe.ControlPlane.Api.Acm;

/// <summary>One ACM request on its way through a handler: its JSON input, who signed it for which region, the store and the time.</summary>
public sealed class AcmCall(AcmRequest request, string region, string accountId, IConfigurationStore store, DateTimeOffset now)
{
    public AcmRequest Request { get; } = request;
    /// <summary>From the SigV4 credential scope; new certificates' ARNs carry it.</summary>
    public string Region { get; } = region;
    public string AccountId { get; } = accountId;
    public IConfigurationStore Store { get; } = store;
    public DateTimeOffset Now { get; } = now;
}

/// <summary>Handles one ACM operation: returns the writer of the members of its output object (null for an empty one) or throws AcmException.</summary>
public delegate Task<Action<Utf8JsonWriter>?> AcmHandler(AcmCall call);
