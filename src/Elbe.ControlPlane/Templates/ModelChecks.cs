using Elbe.Model.Resources;
using Elbe.Model.Validation;

namespace Elbe.ControlPlane.Templates;

/// <summary>The model validation a loaded template must pass before it is applied.</summary>
internal static class ModelChecks
{
    public static IReadOnlyList<ModelValidationException> Collect(ElbeConfiguration configuration)
    {
        // SWITCH ON: once src/Elbe.Model/Validation/ConfigurationValidator.cs lands, replace the body with
        //     return ConfigurationValidator.Collect(configuration);
        // Until then the per-resource validators cover rules, default actions and target groups.
        var errors = new List<ModelValidationException>();
        var instances = configuration.Instances.Select(i => i.InstanceId).ToHashSet(StringComparer.Ordinal);
        foreach (var group in configuration.TargetGroups)
            errors.AddRange(TargetGroupValidator.Collect(group, instances));
        var listeners = configuration.Listeners.ToDictionary(l => l.Arn, StringComparer.Ordinal);
        foreach (var listener in configuration.Listeners)
        {
            var list = new ValidationErrorList();
            RuleValidator.CheckActions(listener.DefaultActions, listener.Protocol, listener.Arn, "DefaultActions", list);
            errors.AddRange(list.Errors);
        }
        foreach (var rule in configuration.Rules)
            errors.AddRange(RuleValidator.Collect(rule, listeners.TryGetValue(rule.ListenerArn, out var l) ? l.Protocol : null));
        return errors;
    }
}
