using System.Globalization;
using Elbe.Model.Identifiers;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Api.Shapes;

/// <summary>
/// The <c>Rule</c> shape. A listener's default rule is not stored as a rule: it is the listener's DefaultActions,
/// described with Priority "default", IsDefault true and an ARN derived from the listener's.
/// </summary>
public static class RuleShape
{
    public static string DefaultRuleArn(string listenerArn) => Arns.Rule(listenerArn, Arns.StableId(listenerArn + "#default-rule"));

    public static void Write(AwsXmlWriter w, ListenerRule rule)
    {
        w.Value("RuleArn", rule.Arn)
            .Value("Priority", rule.Priority.ToString(CultureInfo.InvariantCulture))
            .List("Conditions", rule.Conditions, ConditionShape.Write)
            .List("Actions", rule.Actions, ActionShape.Write)
            .Value("IsDefault", false);
        if (rule.Transforms.Length > 0) w.List("Transforms", rule.Transforms, RuleTransformShape.Write);
    }

    public static void WriteDefault(AwsXmlWriter w, Listener listener) => w
        .Value("RuleArn", DefaultRuleArn(listener.Arn))
        .Value("Priority", "default")
        .List("Conditions", Array.Empty<RuleCondition>(), ConditionShape.Write)
        .List("Actions", listener.DefaultActions, ActionShape.Write)
        .Value("IsDefault", true);
}
