using Microsoft.Extensions.Primitives;

namespace Elbe.Routing.Rules;

/// <summary>
/// http-header: the header name is compared case-insensitively (the header dictionary already does that) and
/// every occurrence of the header is tried in order until one matches a value pattern (case-insensitive,
/// wildcards). An occurrence is compared as a whole: a comma inside it is not a list separator, because ALB
/// documents per-occurrence matching and splitting would change what <c>*</c> patterns see.
/// </summary>
public sealed class HttpHeaderMatcher : IConditionMatcher
{
    private readonly string _headerName;
    private readonly WildcardPattern[] _patterns;

    public HttpHeaderMatcher(string headerName, IEnumerable<string> values)
    {
        _headerName = headerName;
        _patterns = [.. values.Select(v => WildcardPattern.Compile(v, ignoreCase: true))];
    }

    public bool Matches(in RoutingRequest request)
    {
        if (!request.Headers.TryGetValue(_headerName, out StringValues occurrences)) return false;
        for (var i = 0; i < occurrences.Count; i++)
        {
            var value = occurrences[i];
            if (value is null) continue;
            foreach (var p in _patterns)
                if (p.IsMatch(value)) return true;
        }
        return false;
    }
}
