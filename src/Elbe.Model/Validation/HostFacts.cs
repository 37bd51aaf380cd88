namespace Elbe.Model.Validation;

/// <summary>
/// What the host Elbe runs on can do, found out once at startup and handed to validation, so the API and the
/// template loader refuse a setting the data plane could not honour instead of accepting it and failing later.
/// </summary>
public sealed record HostFacts
{
    /// <summary>A host that can do everything validation asks about.</summary>
    public static readonly HostFacts Capable = new();

    /// <summary>Null when connections to targets may leave from a client's address (preserve_client_ip.enabled); else why they may not.</summary>
    public string? ClientIpPreservationUnavailable { get; init; }
}
