namespace Elbe.ControlPlane.Api;

/// <summary>Handlers by (API version, action): ELBv2 and Classic ELB share action names, so the version picks the API.</summary>
public sealed class ApiActionTable
{
    public const string Elbv2Version = "2015-12-01";
    public const string ClassicVersion = "2012-06-01";
    public const string Elbv2Namespace = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
    public const string ClassicNamespace = "http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/";

    private readonly Dictionary<(string Version, string Action), ApiHandler> _handlers = [];

    public ApiActionTable Add(string version, string action, ApiHandler handler)
    {
        _handlers.Add((version, action), handler);
        return this;
    }

    public ApiActionTable AddElbv2(string action, ApiHandler handler) => Add(Elbv2Version, action, handler);

    public bool TryGet(string version, string action, out ApiHandler handler) => _handlers.TryGetValue((version, action), out handler!);

    /// <summary>The action names registered for one API version, in no particular order.</summary>
    public IEnumerable<string> ActionsOf(string version)
    {
        foreach (var (key, _) in _handlers)
            if (key.Version == version) yield return key.Action;
    }

    public static string NamespaceFor(string? version) => version == ClassicVersion ? ClassicNamespace : Elbv2Namespace;
}
