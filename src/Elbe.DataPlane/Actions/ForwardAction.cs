using Elbe.DataPlane.Errors;
using Elbe.DataPlane.Forwarding;
using Elbe.DataPlane.Listeners;
using Elbe.DataPlane.Targets;
using Microsoft.AspNetCore.Http;

namespace Elbe.DataPlane.Actions;

/// <summary>
/// forward (section 1.5, 1.7): choose the target group (by weight), then the target (by the group's
/// algorithm over its routable targets), then hand the request to the forwarder.
/// </summary>
public sealed class ForwardAction(IReadOnlyList<(TargetGroupRuntime Group, int Weight)> groups, TargetForwarder forwarder) : IListenerAction
{
    private readonly TargetGroupRuntime[] _groups = [.. groups.Select(g => g.Group)];
    private readonly int[] _cumulativeWeights = Cumulative(groups);

    public Task ExecuteAsync(HttpContext context, ListenerSnapshot listener)
    {
        var group = PickGroup();
        var target = group?.Selector.Pick(Environment.TickCount64);
        if (target is null) return LoadBalancerErrorResponse.WriteAsync(context, 503);
        return forwarder.ForwardAsync(context, listener, target);
    }

    private TargetGroupRuntime? PickGroup()
    {
        if (_groups.Length == 1) return _groups[0];
        var total = _cumulativeWeights[^1];
        if (total == 0) return null;
        var roll = Random.Shared.Next(total);
        for (var i = 0; i < _cumulativeWeights.Length; i++)
            if (roll < _cumulativeWeights[i]) return _groups[i];
        return _groups[^1];
    }

    private static int[] Cumulative(IReadOnlyList<(TargetGroupRuntime Group, int Weight)> groups)
    {
        var sums = new int[groups.Count];
        var running = 0;
        for (var i = 0; i < groups.Count; i++) sums[i] = running += groups[i].Weight;
        return sums;
    }
}
