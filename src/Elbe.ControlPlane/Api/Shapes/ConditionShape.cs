using System.Collections.Immutable;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Api.Shapes;

/// <summary>
/// The <c>RuleCondition</c> shape. On input the legacy top-level Values (host-header and path-pattern only) and
/// the typed config fold into <see cref="RuleCondition.Values"/>; on output host-header and path-pattern show
/// both forms, as AWS does, and the other fields only their config.
/// </summary>
public static class ConditionShape
{
    private static IReadOnlyDictionary<string, string> ConfigByField => ConditionFields.ConfigMembers;

    public static ImmutableArray<RuleCondition>? ReadList(QueryParameters parameters, string member)
    {
        var items = parameters.GetStructList(member);
        if (items is null) return null;
        var conditions = ImmutableArray.CreateBuilder<RuleCondition>(items.Count);
        foreach (var item in items) conditions.Add(Read(item));
        return conditions.MoveToImmutable();
    }

    public static RuleCondition Read(QueryParameters c)
    {
        var field = c.Get("Field") ?? throw ApiException.Validation("A condition must specify a Field");
        if (!ConfigByField.TryGetValue(field, out var configName))
            throw ApiException.Constraint(c.MemberName("Field"), field, "Member must satisfy enum value set: [http-header, http-request-method, host-header, path-pattern, query-string, source-ip]");
        foreach (var other in ConfigByField.Values)
            if (other != configName && c.GetStruct(other) is not null)
                throw ApiException.Validation($"{other} cannot be used with condition field '{field}'");

        var legacy = c.GetList("Values");
        var config = c.GetStruct(configName);
        if (legacy is not null && field is not (ConditionFields.HostHeader or ConditionFields.PathPattern))
            throw ApiException.Validation($"Values cannot be used with condition field '{field}'; use {configName}");
        if (legacy is { Count: > 0 } && config is not null)
            throw ApiException.Validation($"Specify either Values or {configName}, not both");

        var regex = (config?.GetList("RegexValues") ?? c.GetList("RegexValues") ?? []).ToImmutableArray();
        var scalarValues = field == ConditionFields.QueryString ? null : legacy ?? config?.GetList("Values");
        var condition = new RuleCondition { Field = field, Values = [.. scalarValues ?? []], RegexValues = regex };
        return field switch
        {
            ConditionFields.HttpHeader => condition with { HttpHeaderName = config?.Get("HttpHeaderName") },
            ConditionFields.QueryString => condition with
            {
                QueryStringValues = [.. (config?.GetStructList("Values") ?? []).Select(q => new QueryStringPair(q.Get("Key"), q.Get("Value") ?? ""))],
            },
            ConditionFields.SourceIp => condition with { SourceIpAddressType = config?.Get("IpAddressType") },
            _ => condition,
        };
    }

    public static void Write(AwsXmlWriter w, RuleCondition condition)
    {
        w.Value("Field", condition.Field);
        var configName = ConfigByField.GetValueOrDefault(condition.Field);
        if (configName is null) return;
        if (condition.Field is ConditionFields.HostHeader or ConditionFields.PathPattern && condition.Values.Length > 0)
            w.StringList("Values", condition.Values);
        w.Struct(configName, x =>
        {
            switch (condition.Field)
            {
                case ConditionFields.QueryString:
                    x.List("Values", condition.QueryStringValues, (q, pair) => q.Value("Key", pair.Key).Value("Value", pair.Value));
                    break;
                case ConditionFields.HttpHeader:
                    x.Value("HttpHeaderName", condition.HttpHeaderName);
                    WriteValues(x, condition);
                    break;
                case ConditionFields.SourceIp:
                    x.StringList("Values", condition.Values);
                    x.Value("IpAddressType", condition.SourceIpAddressType);
                    break;
                default:
                    WriteValues(x, condition);
                    break;
            }
        });
        if (condition.Field is not (ConditionFields.HostHeader or ConditionFields.PathPattern or ConditionFields.HttpHeader) && condition.RegexValues.Length > 0)
            w.StringList("RegexValues", condition.RegexValues);
    }

    private static void WriteValues(AwsXmlWriter x, RuleCondition condition)
    {
        if (condition.Values.Length > 0 || condition.RegexValues.Length == 0) x.StringList("Values", condition.Values);
        if (condition.RegexValues.Length > 0) x.StringList("RegexValues", condition.RegexValues);
    }
}
