using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Templates;

/// <summary>ListenerRule Conditions to <see cref="RuleCondition"/>s, folding the legacy top-level Values into the model's Values.</summary>
internal static class ConditionReader
{
    private static readonly string[] Allowed =
        ["Field", "Values", "HostHeaderConfig", "PathPatternConfig", "HttpHeaderConfig", "HttpRequestMethodConfig", "QueryStringConfig", "SourceIpConfig"];

    private static IReadOnlyDictionary<string, string> ConfigByField => ConditionFields.ConfigMembers;

    public static List<RuleCondition> ReadAll(PropertyReader rule)
    {
        var conditions = new List<RuleCondition>();
        foreach (var c in rule.Objects("Conditions", "RuleCondition", Allowed))
        {
            var field = c.String("Field", required: true);
            if (field is null) continue;
            if (!ConfigByField.TryGetValue(field, out var expectedConfig))
            {
                c.Report(c.Raw("Field")!, $"'{field}' is not a condition field ({string.Join(", ", ConfigByField.Keys)}).");
                continue;
            }
            foreach (var other in ConfigByField.Values)
                if (other != expectedConfig && c.Raw(other) is { } misplaced)
                    c.Report(misplaced, $"{other} does not go with Field '{field}'.");
            if (c.Raw("Values") is { } legacy && field is not (ConditionFields.HostHeader or ConditionFields.PathPattern))
                c.Report(legacy, $"Values can only be used with host-header and path-pattern; use {expectedConfig}.");

            var legacyValues = c.Strings("Values");
            var condition = new RuleCondition { Field = field, Values = legacyValues };
            switch (field)
            {
                case ConditionFields.HttpHeader:
                    if (c.Object(expectedConfig, expectedConfig, ["HttpHeaderName", "Values"], required: true) is { } header)
                        condition = condition with { HttpHeaderName = header.String("HttpHeaderName", required: true), Values = header.Strings("Values") };
                    break;
                case ConditionFields.QueryString:
                    if (c.Object(expectedConfig, expectedConfig, ["Values"], required: true) is { } query)
                        condition = condition with
                        {
                            QueryStringValues = [.. query.Objects("Values", "QueryStringKeyValue", ["Key", "Value"])
                                .Select(q => (Key: q.String("Key"), Value: q.String("Value", required: true)))
                                .Where(q => q.Value is not null)
                                .Select(q => new QueryStringPair(q.Key, q.Value!))],
                        };
                    break;
                default:
                    var required = field is not (ConditionFields.HostHeader or ConditionFields.PathPattern) || c.Raw("Values") is null;
                    if (c.Object(expectedConfig, expectedConfig, ["Values"], required) is { } config)
                    {
                        if (legacyValues.Length > 0) c.Report(c.Raw("Values")!, $"Use either Values or {expectedConfig}, not both.");
                        condition = condition with { Values = config.Strings("Values") };
                    }
                    break;
            }
            conditions.Add(condition);
        }
        return conditions;
    }
}
