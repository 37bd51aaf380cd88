namespace Elbe.Model.Resources;

/// <summary>
/// The resources a trust store is associated with: the load balancers that have a listener using it for
/// mutual TLS. Derived from the listeners, never stored, so it cannot drift from them.
/// </summary>
public static class TrustStoreAssociations
{
    /// <summary>Load balancer ARNs, each once, in listener order.</summary>
    public static IReadOnlyList<string> Of(ElbeConfiguration configuration, string trustStoreArn)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var listener in configuration.Listeners)
            if (Uses(listener, trustStoreArn) && seen.Add(listener.LoadBalancerArn))
                result.Add(listener.LoadBalancerArn);
        return result;
    }

    public static bool IsInUse(ElbeConfiguration configuration, string trustStoreArn)
    {
        foreach (var listener in configuration.Listeners)
            if (Uses(listener, trustStoreArn)) return true;
        return false;
    }

    private static bool Uses(Listener listener, string trustStoreArn) =>
        string.Equals(listener.MutualAuthentication?.TrustStoreArn, trustStoreArn, StringComparison.Ordinal);
}
