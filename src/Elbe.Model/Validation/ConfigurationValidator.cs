using Elbe.Model.Attributes;
using Elbe.Model.Resources;

namespace Elbe.Model.Validation;

/// <summary>
/// Whole-state checks on an <see cref="ElbeConfiguration"/>: each resource on its own (through
/// <see cref="RuleValidator"/> and <see cref="TargetGroupValidator"/>), every reference resolves, names and
/// ports are unique, protocols fit together and quotas hold. Knows nothing about templates, so the API can
/// run it on the state a call would produce.
/// </summary>
public static class ConfigurationValidator
{
    public const int MaxListenersPerApplicationLoadBalancer = 50;
    public const int MaxRulesPerApplicationLoadBalancer = 100;
    public const int MinApplicationLoadBalancerZones = 2;
    public const int MaxApplicationLoadBalancers = 50;
    public const int MaxNetworkLoadBalancers = 50;
    public const int MaxGatewayLoadBalancers = 100;
    public const int MaxTargetGroups = 3000;
    public const int MaxUniqueTargetGroupsPerApplicationLoadBalancer = 100;

    /// <summary>ELBv2's message for a listener naming a certificate that was never imported (or was deleted).</summary>
    public static string CertificateNotFoundMessage(string certificateArn) => $"Certificate '{certificateArn}' not found";

    /// <summary>Throws the first problem found.</summary>
    public static void Validate(ElbeConfiguration configuration)
    {
        var errors = Collect(configuration);
        if (errors.Count > 0) throw errors[0];
    }

    /// <summary>Every problem found, in resource order: load balancers, target groups, listeners, rules.</summary>
    public static IReadOnlyList<ModelValidationException> Collect(ElbeConfiguration configuration)
    {
        var errors = new ValidationErrorList();
        var loadBalancers = new Dictionary<string, LoadBalancer>(StringComparer.Ordinal);
        var targetGroups = new Dictionary<string, TargetGroup>(StringComparer.Ordinal);
        var listeners = new Dictionary<string, Listener>(StringComparer.Ordinal);
        var instanceIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var i in configuration.Instances) instanceIds.Add(i.InstanceId);
        var certificateArns = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in configuration.Certificates) certificateArns.Add(c.Arn);

        CheckLoadBalancers(configuration, loadBalancers, errors);
        CheckTargetGroups(configuration, instanceIds, targetGroups, errors);

        // Which load balancers use each target group, to enforce one load balancer per ALB target group.
        var targetGroupUsers = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var listenersPerLoadBalancer = new Dictionary<string, int>(StringComparer.Ordinal);
        var portsInUse = new HashSet<(string, int)>();

        foreach (var listener in configuration.Listeners)
        {
            var arn = listener.Arn;
            listeners[arn] = listener;
            if (!loadBalancers.TryGetValue(listener.LoadBalancerArn, out var lb))
            {
                errors.Add(ErrorCodes.LoadBalancerNotFound, $"Load balancer '{listener.LoadBalancerArn}' not found", arn, "LoadBalancerArn");
            }
            else
            {
                var n = listenersPerLoadBalancer[lb.Arn] = listenersPerLoadBalancer.GetValueOrDefault(lb.Arn) + 1;
                if (lb.Type == LoadBalancerType.Application && n == MaxListenersPerApplicationLoadBalancer + 1)
                    errors.Add(ErrorCodes.TooManyListeners, $"You've reached the limit of {MaxListenersPerApplicationLoadBalancer} listeners per load balancer", arn, null);
                if (lb.Type == LoadBalancerType.Application && listener.Protocol is not ("HTTP" or "HTTPS"))
                    errors.Add(ErrorCodes.ValidationError, $"Listener protocol '{listener.Protocol}' must be one of 'HTTPS, HTTP'", arn, "Protocol");
            }
            // A Gateway Load Balancer listener has no port (stored as 0): it takes all IP traffic.
            var portless = lb?.Type == LoadBalancerType.Gateway && listener.Port == 0;
            if (!portless && listener.Port is < 1 or > 65535)
                errors.Add(ErrorCodes.ValidationError, $"Listener port must be between 1 and 65535; '{listener.Port}' is not valid", arn, "Port");
            else if (!portless && !portsInUse.Add((listener.LoadBalancerArn, listener.Port)))
                errors.Add(ErrorCodes.DuplicateListener, $"A listener already exists on port {listener.Port} of this load balancer", arn, "Port");
            if (listener.Protocol == "HTTPS" && listener.CertificateArns.IsDefaultOrEmpty)
                errors.Add(ErrorCodes.ValidationError, "An HTTPS listener needs a certificate", arn, "Certificates");
            foreach (var certificateArn in ListenerCertificates.All(listener))
                if (!certificateArns.Contains(certificateArn))
                    errors.Add(ErrorCodes.CertificateNotFound, CertificateNotFoundMessage(certificateArn), arn, "Certificates");

            ActionValidator.Check(listener.DefaultActions, listener.Protocol, arn, "DefaultActions", errors);
            CheckTargetGroupReferences(listener.DefaultActions, listener, lb, "DefaultActions", arn, targetGroups, targetGroupUsers, errors);
        }

        var rulesPerLoadBalancer = new Dictionary<string, int>(StringComparer.Ordinal);
        var prioritiesInUse = new HashSet<(string, int)>();
        foreach (var rule in configuration.Rules)
        {
            var arn = rule.Arn;
            listeners.TryGetValue(rule.ListenerArn, out var listener);
            if (listener is null)
                errors.Add(ErrorCodes.ListenerNotFound, $"Listener '{rule.ListenerArn}' not found", arn, "ListenerArn");

            RuleValidator.Check(rule, listener?.Protocol, errors);
            if (!prioritiesInUse.Add((rule.ListenerArn, rule.Priority)))
                errors.Add(ErrorCodes.PriorityInUse, $"Priority '{rule.Priority}' is currently in use", arn, "Priority");

            LoadBalancer? lb = null;
            if (listener is not null && loadBalancers.TryGetValue(listener.LoadBalancerArn, out lb) && lb.Type == LoadBalancerType.Application)
            {
                var n = rulesPerLoadBalancer[lb.Arn] = rulesPerLoadBalancer.GetValueOrDefault(lb.Arn) + 1;
                if (n == MaxRulesPerApplicationLoadBalancer + 1)
                    errors.Add(ErrorCodes.TooManyRules, $"You've reached the limit of {MaxRulesPerApplicationLoadBalancer} rules per load balancer", arn, null);
            }
            if (listener is not null)
                CheckTargetGroupReferences(rule.Actions, listener, lb, "Actions", arn, targetGroups, targetGroupUsers, errors);
        }

        var uniqueTargetGroups = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (tgArn, users) in targetGroupUsers)
        {
            if (users.Count > 1 && targetGroups.TryGetValue(tgArn, out var tg) && TargetGroupValidator.IsApplicationTargetGroup(tg))
                errors.Add(ErrorCodes.TargetGroupAssociationLimit, $"Target group '{tg.Name}' is used by {users.Count} load balancers; it can be associated with only one", tgArn, null);
            foreach (var lbArn in users) uniqueTargetGroups[lbArn] = uniqueTargetGroups.GetValueOrDefault(lbArn) + 1;
        }
        foreach (var (lbArn, count) in uniqueTargetGroups)
            if (count > MaxUniqueTargetGroupsPerApplicationLoadBalancer && loadBalancers[lbArn].Type == LoadBalancerType.Application)
                errors.Add(ErrorCodes.TooManyUniqueTargetGroupsPerLoadBalancer,
                    $"You've reached the limit on the number of unique target groups per load balancer ({MaxUniqueTargetGroupsPerApplicationLoadBalancer})", lbArn, null);

        return errors.Errors;
    }

    private static void CheckLoadBalancers(ElbeConfiguration configuration, Dictionary<string, LoadBalancer> byArn, ValidationErrorList errors)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var perType = new Dictionary<LoadBalancerType, int>();
        foreach (var lb in configuration.LoadBalancers)
        {
            var arn = lb.Arn;
            byArn[arn] = lb;
            var count = perType[lb.Type] = perType.GetValueOrDefault(lb.Type) + 1;
            var limit = lb.Type switch
            {
                LoadBalancerType.Network => MaxNetworkLoadBalancers,
                LoadBalancerType.Gateway => MaxGatewayLoadBalancers,
                _ => MaxApplicationLoadBalancers,
            };
            if (count == limit + 1)
                errors.Add(ErrorCodes.TooManyLoadBalancers, "You've reached the limit on the number of load balancers for your account", arn, null);
            if (ResourceNameRules.CheckLoadBalancerName(lb.Name) is { } why)
                errors.Add(ErrorCodes.ValidationError, why, arn, "Name");
            else if (!names.Add(lb.Name))
                errors.Add(ErrorCodes.DuplicateLoadBalancerName, $"A load balancer with the name '{lb.Name}' already exists", arn, "Name");

            if (lb.Type != LoadBalancerType.Application) continue;

            var zones = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in lb.Nodes) zones.Add(node.ZoneName);
            if (zones.Count < MinApplicationLoadBalancerZones)
                errors.Add(ErrorCodes.ValidationError, $"At least two subnets in two different Availability Zones must be specified", arn, "Subnets");

            foreach (var (key, value) in lb.Attributes)
                if (AttributeSet.Check(LoadBalancerAttributes.Application, key, value) is { } attributeWhy)
                    errors.Add(ErrorCodes.ValidationError, attributeWhy, arn, $"Attributes[{key}]");
        }
    }

    private static void CheckTargetGroups(ElbeConfiguration configuration, HashSet<string> instanceIds, Dictionary<string, TargetGroup> byArn, ValidationErrorList errors)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (configuration.TargetGroups.Length > MaxTargetGroups)
            errors.Add(ErrorCodes.TooManyTargetGroups, "You've reached the limit on the number of target groups for your account",
                configuration.TargetGroups[MaxTargetGroups].Arn, null);
        foreach (var tg in configuration.TargetGroups)
        {
            byArn[tg.Arn] = tg;
            TargetGroupValidator.Check(tg, instanceIds, errors);
            if (ResourceNameRules.CheckTargetGroupName(tg.Name) is null && !names.Add(tg.Name))
                errors.Add(ErrorCodes.DuplicateTargetGroupName, $"A target group with the name '{tg.Name}' already exists", tg.Arn, "Name");
        }
    }

    private static void CheckTargetGroupReferences(
        System.Collections.Immutable.ImmutableArray<RuleAction> actions, Listener listener, LoadBalancer? lb, string pathPrefix, string resourceArn,
        Dictionary<string, TargetGroup> targetGroups, Dictionary<string, HashSet<string>> users, ValidationErrorList errors)
    {
        if (actions.IsDefault) return;
        for (var i = 0; i < actions.Length; i++)
        {
            var a = actions[i];
            if (a.Type != ActionTypes.Forward) continue;
            var tuples = a.Forward?.TargetGroups ?? [];
            if (tuples.Length == 0 && a.TargetGroupArn is { } single)
                CheckOne(single, $"{pathPrefix}[{i}].TargetGroupArn");
            for (var j = 0; j < tuples.Length; j++)
                CheckOne(tuples[j].TargetGroupArn, $"{pathPrefix}[{i}].ForwardConfig.TargetGroups[{j}].TargetGroupArn");
        }

        void CheckOne(string tgArn, string path)
        {
            if (string.IsNullOrEmpty(tgArn)) return; // reported by the action checks
            if (!targetGroups.TryGetValue(tgArn, out var tg))
            {
                errors.Add(ErrorCodes.TargetGroupNotFound, $"Target group '{tgArn}' not found", resourceArn, path);
                return;
            }
            if (lb is not null)
            {
                if (!users.TryGetValue(tgArn, out var set)) users[tgArn] = set = new HashSet<string>(StringComparer.Ordinal);
                set.Add(lb.Arn);
            }
            if (listener.Protocol is "HTTP" or "HTTPS" && !TargetGroupValidator.IsApplicationTargetGroup(tg))
                errors.Add(ErrorCodes.IncompatibleProtocols, $"The target group '{tg.Name}' uses protocol '{tg.Protocol}', which is not compatible with an {listener.Protocol} listener", resourceArn, path);
            // HTTP/2 and gRPC to targets need HTTP/2 from clients, which ALB speaks only over TLS (AWS's wording).
            else if (listener.Protocol == "HTTP" && tg.ProtocolVersion is "HTTP2" or "GRPC")
                errors.Add(ErrorCodes.InvalidLoadBalancerAction, $"Listener protocol 'HTTP' is not supported with a target group with the protocol-version '{tg.ProtocolVersion}'", resourceArn, path);
        }
    }
}
