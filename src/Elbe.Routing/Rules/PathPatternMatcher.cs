namespace Elbe.Routing.Rules;

/// <summary>
/// path-pattern: case-sensitive wildcard match against the path only, never the query string.
/// The path is compared exactly as the client sent it, without percent-decoding: AWS documents no decoding
/// for path conditions, and comparing the raw form means <c>/a%2Fb</c> can never be mistaken for <c>/a/b</c>.
/// </summary>
public sealed class PathPatternMatcher : IConditionMatcher
{
    private readonly WildcardPattern[] _patterns;

    public PathPatternMatcher(IEnumerable<string> values)
    {
        _patterns = [.. values.Select(v => WildcardPattern.Compile(v, ignoreCase: false))];
    }

    public bool Matches(in RoutingRequest request)
    {
        var path = request.Path.Span;
        foreach (var p in _patterns)
            if (p.IsMatch(path)) return true;
        return false;
    }
}
