using Elbe.Model.Attributes;
using Elbe.Model.Resources;

namespace Elbe.DataPlane.Network;

/// <summary>The NLB attributes of a target group that shape its flows (fact sheet 2.2, 2.3, 2.6, 3.2), with their protocol- and type-dependent defaults.</summary>
public sealed record NetworkTargetGroupSettings
{
    public bool ProxyProtocolV2 { get; init; }
    public bool PreserveClientIp { get; init; }
    /// <summary>deregistration_delay.connection_termination.enabled: flows are reset when the delay ends.</summary>
    public bool TerminateWhenDeregistered { get; init; }
    /// <summary>target_health_state.unhealthy.connection_termination.enabled: flows to a target turned unhealthy are reset.</summary>
    public bool TerminateWhenUnhealthy { get; init; }
    /// <summary>Connection termination off with a draining interval: flows live while the target reads unhealthy.draining and are reset once it reads unhealthy.</summary>
    public bool TerminateAfterUnhealthyDraining { get; init; }
    /// <summary>stickiness.enabled with type source_ip: the client address alone picks the target.</summary>
    public bool SourceIpStickiness { get; init; }
    /// <summary>A TLS target group: connections to targets are encrypted again.</summary>
    public bool TargetTls { get; init; }

    public static NetworkTargetGroupSettings From(TargetGroup group)
    {
        var attributes = new AttributeSet(group.Attributes, NetworkTargetGroupAttributes.For(group.Protocol, group.TargetType));
        return new NetworkTargetGroupSettings
        {
            ProxyProtocolV2 = attributes.GetBool(NetworkTargetGroupAttributes.ProxyProtocolV2),
            PreserveClientIp = attributes.GetBool(NetworkTargetGroupAttributes.PreserveClientIp),
            TerminateWhenDeregistered = attributes.GetBool(NetworkTargetGroupAttributes.ConnectionTermination),
            TerminateWhenUnhealthy = attributes.GetBool(NetworkTargetGroupAttributes.UnhealthyConnectionTermination),
            TerminateAfterUnhealthyDraining = !attributes.GetBool(NetworkTargetGroupAttributes.UnhealthyConnectionTermination)
                && attributes.GetInt(NetworkTargetGroupAttributes.UnhealthyDrainingInterval) > 0,
            TargetTls = group.Protocol == "TLS",
            SourceIpStickiness = attributes.GetBool(TargetGroupAttributes.StickinessEnabled) && attributes.Get(TargetGroupAttributes.StickinessType) == "source_ip",
        };
    }
}
