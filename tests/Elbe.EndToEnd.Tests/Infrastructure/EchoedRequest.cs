namespace Elbe.EndToEnd.Tests.Infrastructure;

/// <summary>What a backend's /echo endpoint saw: the request exactly as the load balancer forwarded it.</summary>
public sealed record EchoedRequest(
    string Backend,
    string Method,
    string Path,
    string QueryString,
    Dictionary<string, string[]> Headers,
    string RemoteAddress)
{
    /// <summary>All values of a header, looked up case-insensitively because HTTP header names are.</summary>
    public string[] HeaderValues(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).SelectMany(h => h.Value).ToArray();

    /// <summary>The single value of a header, or null when absent; several values are joined the way a proxy would fold them.</summary>
    public string? Header(string name) => HeaderValues(name) is { Length: > 0 } values ? string.Join(", ", values) : null;
}
