using Elbe.DataPlane.Errors;
using Elbe.DataPlane.Forwarding;
using Elbe.DataPlane.Listeners;
using Elbe.DataPlane.Stickiness;
using Elbe.DataPlane.Targets;
using Elbe.Model.Resources;
using Elbe.Routing.ProtocolVersions;
using Elbe.Routing.Targets;
using Microsoft.AspNetCore.Http;

namespace Elbe.DataPlane.Actions;

/// <summary>
/// forward (sections 1.5, 1.7): choose the target group (stickiness cookie, else by weight), then the target
/// (stickiness cookie, else the group's algorithm over its routable targets: those of the node's own zone when the
/// group has cross-zone load balancing off), then forward — unless the group's protocol version refuses the request (464).
/// </summary>
public sealed class ForwardAction : IListenerAction
{
    private readonly TargetGroupRuntime[] _groups;
    private readonly WeightedTargetGroupPicker<TargetGroupRuntime> _picker;
    private readonly TimeSpan? _groupStickiness;
    private readonly TargetForwarder _forwarder;
    private readonly StickyRouting _sticky;

    public ForwardAction(IReadOnlyList<(TargetGroupRuntime Group, int Weight)> groups, ForwardConfig? config, TargetForwarder forwarder, StickyRouting sticky)
    {
        _groups = new TargetGroupRuntime[groups.Count];
        for (var i = 0; i < groups.Count; i++) _groups[i] = groups[i].Group;
        _picker = new WeightedTargetGroupPicker<TargetGroupRuntime>(groups);
        if (config is { StickinessEnabled: true, StickinessDurationSeconds: { } seconds })
            _groupStickiness = TimeSpan.FromSeconds(seconds);
        _forwarder = forwarder;
        _sticky = sticky;
    }

    public Task ExecuteAsync(HttpContext context, ListenerSnapshot listener)
    {
        var group = PickGroup(context);
        if (group is null) return LoadBalancerErrorResponse.WriteAsync(context, 503);

        var settings = group.Settings;
        // The group's protocol version decides which requests it takes at all (fact sheet 1.10).
        var request = context.Request;
        if (!ProtocolVersionTable.Admits(settings.ProtocolVersion, ClientProtocols.Classify(request.Protocol, request.ContentType), request.Method))
            return LoadBalancerErrorResponse.WriteAsync(context, ProtocolVersionTable.IncompatibleStatus);

        var selector = group.Selector;
        // Only a group with cross-zone off cares which node the request reached.
        var zone = selector.CrossZoneEnabled ? null : listener.NodeZone(context.Connection.LocalIpAddress);
        TargetState? target = null;
        DateTimeOffset? stuckSince = null;
        if (settings.StickinessEnabled && _sticky.StuckTarget(context, group, selector.CandidatesFor(zone), settings, out var issuedAt) is { } stuck)
        {
            target = stuck;
            stuckSince = issuedAt;
        }
        target ??= selector.Pick(zone, Environment.TickCount64);
        if (target is null) return LoadBalancerErrorResponse.WriteAsync(context, 503);

        if (settings.StickinessEnabled) _sticky.ArmTargetCookies(context, group, settings, target, stuckSince);
        return _forwarder.ForwardAsync(context, listener, target, settings);
    }

    private TargetGroupRuntime? PickGroup(HttpContext context)
    {
        if (_groups.Length == 1) return _groups[0];
        if (_groupStickiness is { } duration && _sticky.StuckGroup(context, _groups, duration) is { } stuck)
        {
            _sticky.SetGroupCookies(context, stuck);
            return stuck;
        }
        var chosen = _picker.Pick();
        if (chosen is not null && _groupStickiness is not null) _sticky.SetGroupCookies(context, chosen);
        return chosen;
    }
}
