using System.Net;
using Microsoft.AspNetCore.Http;

namespace Elbe.Routing.Rules;

/// <summary>
/// What listener rules look at: the raw path and query as received (no percent-decoding), the first Host
/// header, and the TCP peer (never X-Forwarded-For). Nothing is copied: the path and query are slices of the
/// request target, the headers are read in place.
/// </summary>
public readonly struct RoutingRequest(string method, string? host, ReadOnlyMemory<char> path, ReadOnlyMemory<char> queryString, IPAddress remoteAddress, IHeaderDictionary headers)
{
    public RoutingRequest(string method, string? host, string path, string queryString, IPAddress remoteAddress, IHeaderDictionary headers)
        : this(method, host, path.AsMemory(), queryString.AsMemory(), remoteAddress, headers)
    {
    }

    public string Method { get; } = method;
    /// <summary>The first Host header value, port included if the client sent one; null when absent.</summary>
    public string? Host { get; } = host;
    /// <summary>The path as received, without the query.</summary>
    public ReadOnlyMemory<char> Path { get; } = path;
    /// <summary>The query as received, without the leading '?'; empty when there is none.</summary>
    public ReadOnlyMemory<char> QueryString { get; } = queryString;
    public IPAddress RemoteAddress { get; } = remoteAddress;
    public IHeaderDictionary Headers { get; } = headers;
}
