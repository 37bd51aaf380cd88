using System.Collections.Immutable;
using Elbe.Model.Attributes;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Api.Shapes;

/// <summary>The <c>ListenerAttribute</c> list: which keys a listener has, given its load balancer type and protocol.</summary>
public static class ListenerAttributeShape
{
    public static ImmutableArray<AttributeDefinition> Definitions(LoadBalancerType type, Listener listener) => type switch
    {
        LoadBalancerType.Application => ListenerAttributes.Application,
        LoadBalancerType.Gateway => ListenerAttributes.Tcp,
        _ => listener.Protocol == "TCP" ? ListenerAttributes.Tcp : ListenerAttributes.None,
    };

    /// <summary>Every key with its value, in key order; response header values that were never set are left out.</summary>
    public static IEnumerable<KeyValuePair<string, string>> All(LoadBalancerType type, Listener listener) =>
        new AttributeSet(listener.Attributes, Definitions(type, listener)).All()
            .Where(a => a.Value.Length > 0 || !ListenerAttributes.ResponseHeaderValueKeys.Contains(a.Key))
            .OrderBy(a => a.Key, StringComparer.Ordinal);
}
