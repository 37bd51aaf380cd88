namespace Elbe.Routing.Rules;

/// <summary>
/// host-header: case-insensitive wildcard match against the host name of the first Host header. The port is
/// not part of the comparison (a client sending <c>example.com:8080</c> still matches <c>example.com</c>);
/// AWS does not document this, but rules are written without ports and browsers add them on non-default ports.
/// </summary>
public sealed class HostHeaderMatcher : IConditionMatcher
{
    private readonly WildcardPattern[] _patterns;

    public HostHeaderMatcher(IEnumerable<string> values)
    {
        _patterns = [.. values.Select(v => WildcardPattern.Compile(v, ignoreCase: true))];
    }

    public bool Matches(in RoutingRequest request)
    {
        if (request.Host is not { Length: > 0 } host) return false;
        var name = HostWithoutPort(host);
        foreach (var p in _patterns)
            if (p.IsMatch(name)) return true;
        return false;
    }

    /// <summary>
    /// <c>host</c>, <c>host:port</c>, <c>[v6]</c> or <c>[v6]:port</c> → the host part (brackets kept for IPv6
    /// literals). A bare string with several colons is not a valid Host and is compared as it is.
    /// </summary>
    public static ReadOnlySpan<char> HostWithoutPort(ReadOnlySpan<char> host)
    {
        if (host.Length > 0 && host[0] == '[')
        {
            var close = host.IndexOf(']');
            return close < 0 ? host : host[..(close + 1)];
        }
        var colon = host.IndexOf(':');
        if (colon < 0 || host[(colon + 1)..].IndexOf(':') >= 0) return host;
        return host[..colon];
    }
}
