using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Templates;

/// <summary>AWS::ElasticLoadBalancingV2::ListenerRule properties to a <see cref="ListenerRule"/>.</summary>
internal static class ListenerRuleReader
{
    private static readonly string[] Allowed = ["ListenerArn", "Priority", "Conditions", "Actions"];
    private static readonly string[] Ignored = ["Transforms"];

    public static ListenerRule Read(StackResource resource, TemplateMap properties, ResourceIdentity identity, TemplateDiagnostics diagnostics)
    {
        var p = new PropertyReader(properties, diagnostics, resource.LogicalId, resource.Type, Allowed, Ignored);
        return new ListenerRule
        {
            Arn = identity.Arn,
            ListenerArn = p.String("ListenerArn", required: true) ?? "",
            Priority = p.Int("Priority", required: true) ?? 0,
            Conditions = [.. ConditionReader.ReadAll(p)],
            Actions = [.. ActionReader.ReadAll(p, "Actions")],
        };
    }
}
