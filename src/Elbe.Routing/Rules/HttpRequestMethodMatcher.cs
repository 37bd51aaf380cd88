namespace Elbe.Routing.Rules;

/// <summary>http-request-method: exact, case-sensitive comparison; no wildcards (so <c>get</c> never matches <c>GET</c>).</summary>
public sealed class HttpRequestMethodMatcher : IConditionMatcher
{
    private readonly string[] _methods;

    public HttpRequestMethodMatcher(IEnumerable<string> values)
    {
        _methods = [.. values];
    }

    public bool Matches(in RoutingRequest request)
    {
        var method = request.Method;
        foreach (var m in _methods)
            if (string.Equals(m, method, StringComparison.Ordinal)) return true;
        return false;
    }
}
