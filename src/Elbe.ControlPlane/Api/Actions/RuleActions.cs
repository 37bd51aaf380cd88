using System.Collections.Immutable;
using System.Globalization;
using Elbe.ControlPlane.Api.Shapes;
using Elbe.Model.Identifiers;
using Elbe.Model.Resources;
using Elbe.Model.Validation;

namespace Elbe.ControlPlane.Api.Actions;

/// <summary>
/// CreateRule, DescribeRules, ModifyRule, DeleteRule and SetRulePriorities. Rules exist on ALB listeners only;
/// each listener's default rule is its DefaultActions, shown and modified here but never deleted or reordered.
/// </summary>
public static class RuleActions
{
    public static void Register(ApiActionTable table) => table
        .AddElbv2("CreateRule", CreateRuleAsync)
        .AddElbv2("DescribeRules", DescribeRulesAsync)
        .AddElbv2("ModifyRule", ModifyRuleAsync)
        .AddElbv2("DeleteRule", DeleteRuleAsync)
        .AddElbv2("SetRulePriorities", SetRulePrioritiesAsync);

    private static async Task<Action<AwsXmlWriter>?> CreateRuleAsync(ApiCall call)
    {
        var p = call.Parameters;
        var listenerArn = p.Require("ListenerArn");
        var conditions = ConditionShape.ReadList(p, "Conditions") ?? throw ApiException.Constraint("conditions", null, "Member must not be null");
        var priority = p.GetInt("Priority") ?? throw ApiException.Constraint("priority", null, "Member must not be null");
        if (priority is < RuleValidator.MinPriority or > RuleValidator.MaxPriority)
            throw ApiException.Constraint("priority", priority.ToString(CultureInfo.InvariantCulture), $"Member must have value between {RuleValidator.MinPriority} and {RuleValidator.MaxPriority}");
        var actions = ActionShape.RequireList(p, "Actions");
        var transforms = RuleTransformShape.ReadList(p, "Transforms") ?? [];
        var tags = TagShape.ReadList(p) ?? [];
        if (conditions.Length == 0) throw ApiException.Validation("A rule must have at least one condition");
        actions = ActionShape.KeepClientSecrets(actions, default);

        var created = await call.Store.MutateAsync(config =>
        {
            var listener = FindListener(config, listenerArn);
            if (config.Rules.Any(r => r.ListenerArn == listenerArn && r.Priority == priority))
                throw new ApiException(ErrorCodes.PriorityInUse, $"Priority '{priority}' is currently in use");
            var rule = new ListenerRule
            {
                Arn = Arns.Rule(listenerArn, Arns.NewId()),
                ListenerArn = listenerArn,
                Priority = priority,
                Conditions = conditions,
                Actions = actions,
                Transforms = transforms,
                Tags = tags,
            };
            var next = config with { Rules = config.Rules.Add(rule) };
            Validate(config, next, rule.Arn, listener.Arn);
            return (next, rule);
        });
        return w => w.List("Rules", [created], RuleShape.Write);
    }

    private static Task<Action<AwsXmlWriter>?> DescribeRulesAsync(ApiCall call)
    {
        var p = call.Parameters;
        var config = call.Store.Current;
        var listenerArn = p.Get("ListenerArn");
        var ruleArns = p.GetList("RuleArns");
        if (listenerArn is null && ruleArns is null)
            throw ApiException.Validation("A listener ARN or a set of rule ARNs must be specified");
        if (listenerArn is not null && ruleArns is not null)
            throw ApiException.Validation("A listener ARN and a set of rule ARNs cannot be specified at the same time");

        // Each entry is a stored rule or, for a default rule, its listener.
        var entries = new List<(ListenerRule? Rule, Listener? Default)>();
        if (listenerArn is not null)
        {
            var listener = ListenerActions.Find(config, listenerArn);
            foreach (var rule in config.Rules.Where(r => r.ListenerArn == listenerArn).OrderBy(r => r.Priority))
                entries.Add((rule, null));
            entries.Add((null, listener));
        }
        else
        {
            foreach (var arn in ruleArns!.Distinct(StringComparer.Ordinal))
            {
                var (rule, listener) = Find(config, arn);
                entries.Add((rule, rule is null ? listener : null));
            }
        }

        var (page, next) = Pagination.Paginate(entries, p);
        return Task.FromResult<Action<AwsXmlWriter>?>(w =>
        {
            w.List("Rules", page, (m, entry) =>
            {
                if (entry.Rule is not null) RuleShape.Write(m, entry.Rule);
                else RuleShape.WriteDefault(m, entry.Default!);
            });
            w.Value("NextMarker", next);
        });
    }

    private static async Task<Action<AwsXmlWriter>?> ModifyRuleAsync(ApiCall call)
    {
        var p = call.Parameters;
        var arn = p.Require("RuleArn");
        var conditions = ConditionShape.ReadList(p, "Conditions");
        var actions = ActionShape.ReadList(p, "Actions");
        var transforms = RuleTransformShape.ReadList(p, "Transforms");
        var resetTransforms = p.GetBool("ResetTransforms") ?? false;
        if (conditions is { Length: 0 }) throw ApiException.Validation("A rule must have at least one condition");

        var written = await call.Store.MutateAsync<Action<AwsXmlWriter>>(config =>
        {
            var (rule, listener) = Find(config, arn);
            if (rule is null)
            {
                if (conditions is not null || transforms is not null || resetTransforms)
                    throw new ApiException("OperationNotPermitted", "The default rule can have its actions modified only; it has no conditions or transforms");
                if (actions is null) return (config, w => w.List("Rules", [listener], RuleShape.WriteDefault));
                var updatedListener = listener with { DefaultActions = ActionShape.KeepClientSecrets(actions.Value, listener.DefaultActions) };
                var index = config.Listeners.IndexOf(listener);
                var withListener = config with { Listeners = config.Listeners.SetItem(index, updatedListener) };
                Validate(config, withListener, updatedListener.Arn, updatedListener.Arn);
                return (withListener, w => w.List("Rules", [updatedListener], RuleShape.WriteDefault));
            }

            var updated = rule with
            {
                Conditions = conditions ?? rule.Conditions,
                Actions = actions is { } given ? ActionShape.KeepClientSecrets(given, rule.Actions) : rule.Actions,
                Transforms = transforms ?? (resetTransforms ? [] : rule.Transforms),
            };
            var next = config with { Rules = config.Rules.SetItem(config.Rules.IndexOf(rule), updated) };
            Validate(config, next, updated.Arn, listener.Arn);
            return (next, w => w.List("Rules", [updated], RuleShape.Write));
        });
        return written;
    }

    private static async Task<Action<AwsXmlWriter>?> DeleteRuleAsync(ApiCall call)
    {
        var arn = call.Parameters.Require("RuleArn");
        await call.Store.MutateAsync(config =>
        {
            var (rule, _) = Find(config, arn);
            if (rule is null) throw new ApiException("OperationNotPermitted", "Default rule cannot be deleted");
            return (config with { Rules = config.Rules.Remove(rule) }, true);
        });
        return null;
    }

    private static async Task<Action<AwsXmlWriter>?> SetRulePrioritiesAsync(ApiCall call)
    {
        var p = call.Parameters;
        var pairs = p.GetStructList("RulePriorities") ?? throw ApiException.Constraint("rulePriorities", null, "Member must not be null");
        var changes = new List<(string Arn, int Priority)>(pairs.Count);
        foreach (var pair in pairs)
        {
            var priority = pair.GetInt("Priority") ?? throw ApiException.Constraint(pair.MemberName("Priority"), null, "Member must not be null");
            if (priority is < RuleValidator.MinPriority or > RuleValidator.MaxPriority)
                throw ApiException.Constraint(pair.MemberName("Priority"), priority.ToString(CultureInfo.InvariantCulture), $"Member must have value between {RuleValidator.MinPriority} and {RuleValidator.MaxPriority}");
            changes.Add((pair.Require("RuleArn"), priority));
        }

        var updated = await call.Store.MutateAsync(config =>
        {
            var rules = config.Rules.ToBuilder();
            var changed = new List<ListenerRule>(changes.Count);
            foreach (var (arn, priority) in changes)
            {
                var (rule, _) = Find(config, arn);
                if (rule is null) throw new ApiException("OperationNotPermitted", "Default rule priority cannot be modified");
                var index = 0;
                while (rules[index].Arn != arn) index++;
                var moved = rules[index] with { Priority = priority };
                rules[index] = moved;
                changed.RemoveAll(r => r.Arn == arn);
                changed.Add(moved);
            }
            // All moves land together, so two rules may swap priorities in one call.
            var taken = new HashSet<(string, int)>();
            foreach (var rule in rules)
                if (!taken.Add((rule.ListenerArn, rule.Priority)))
                    throw new ApiException(ErrorCodes.PriorityInUse, $"Priority '{rule.Priority}' is currently in use");
            return (config with { Rules = rules.ToImmutable() }, changed);
        });
        return w => w.List("Rules", updated, RuleShape.Write);
    }

    /// <summary>
    /// The change must not add a problem to the whole configuration (references, protocols, quotas); this
    /// call's own problem is reported first. A problem the stored state already had is not this call's.
    /// </summary>
    private static void Validate(ElbeConfiguration before, ElbeConfiguration next, string resourceArn, string listenerArn) =>
        LoadBalancerActions.ValidateChange(before, next, resourceArn, listenerArn);

    private static Listener FindListener(ElbeConfiguration config, string listenerArn)
    {
        var listener = ListenerActions.Find(config, listenerArn);
        var loadBalancer = config.LoadBalancers.FirstOrDefault(lb => lb.Arn == listener.LoadBalancerArn);
        if (loadBalancer is not null && loadBalancer.Type != LoadBalancerType.Application)
            throw new ApiException(ErrorCodes.InvalidConfigurationRequest, "Rules can be created only on Application Load Balancer listeners");
        return listener;
    }

    /// <summary>A stored rule (with its listener), or a default rule (null rule, its listener); RuleNotFound otherwise.</summary>
    private static (ListenerRule? Rule, Listener Listener) Find(ElbeConfiguration config, string ruleArn)
    {
        var rule = config.Rules.FirstOrDefault(r => r.Arn == ruleArn);
        if (rule is not null)
        {
            var owner = config.Listeners.FirstOrDefault(l => l.Arn == rule.ListenerArn);
            if (owner is not null) return (rule, owner);
        }
        foreach (var listener in config.Listeners)
            if (RuleShape.DefaultRuleArn(listener.Arn) == ruleArn) return (null, listener);
        throw new ApiException("RuleNotFound", $"One or more rules not found");
    }
}
