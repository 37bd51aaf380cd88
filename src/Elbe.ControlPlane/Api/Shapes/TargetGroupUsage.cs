using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Api.Shapes;

/// <summary>
/// Which load balancers send traffic to each target group: through a listener's default actions or a rule's
/// actions. AWS reports this as TargetGroup.LoadBalancerArns and refuses to delete a group that is in use.
/// </summary>
public sealed class TargetGroupUsage
{
    private readonly Dictionary<string, SortedSet<string>> _loadBalancersByTargetGroup = new(StringComparer.Ordinal);

    private TargetGroupUsage() { }

    public static TargetGroupUsage Of(ElbeConfiguration configuration)
    {
        var usage = new TargetGroupUsage();
        var listeners = new Dictionary<string, Listener>(StringComparer.Ordinal);
        foreach (var listener in configuration.Listeners)
        {
            listeners[listener.Arn] = listener;
            usage.Add(listener.DefaultActions, listener.LoadBalancerArn);
        }
        foreach (var rule in configuration.Rules)
            if (listeners.TryGetValue(rule.ListenerArn, out var listener))
                usage.Add(rule.Actions, listener.LoadBalancerArn);
        return usage;
    }

    public IReadOnlyCollection<string> LoadBalancerArns(string targetGroupArn) =>
        _loadBalancersByTargetGroup.TryGetValue(targetGroupArn, out var set) ? set : [];

    public bool IsInUse(string targetGroupArn) => _loadBalancersByTargetGroup.ContainsKey(targetGroupArn);

    private void Add(System.Collections.Immutable.ImmutableArray<RuleAction> actions, string loadBalancerArn)
    {
        if (actions.IsDefault) return;
        foreach (var action in actions)
        {
            if (action.Type != ActionTypes.Forward) continue;
            foreach (var tg in action.ForwardTargetGroups)
            {
                if (!_loadBalancersByTargetGroup.TryGetValue(tg.TargetGroupArn, out var set))
                    _loadBalancersByTargetGroup[tg.TargetGroupArn] = set = new SortedSet<string>(StringComparer.Ordinal);
                set.Add(loadBalancerArn);
            }
        }
    }
}
