using System.Collections.Immutable;
using Elbe.Model.Attributes;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Api.Shapes;

/// <summary>The <c>TargetGroupAttribute</c> list: Attributes.member.N.Key / .Value in, every key of the group's kind out.</summary>
public static class TargetGroupAttributeShape
{
    public static List<KeyValuePair<string, string>> RequireList(QueryParameters parameters)
    {
        var items = parameters.GetStructList("Attributes") ?? throw ApiException.Constraint("attributes", null, "Member must not be null");
        var list = new List<KeyValuePair<string, string>>(items.Count);
        foreach (var item in items)
            list.Add(new(item.Require("Key"), item.Get("Value") ?? ""));
        return list;
    }

    public static void WriteAll(AwsXmlWriter w, TargetGroup group) =>
        w.List("Attributes", TargetGroupAttributeSets.Of(group).All(), (m, kv) => m.Value("Key", kv.Key).Value("Value", kv.Value));

    /// <summary>The group with <paramref name="changes"/> applied; a key the group's kind lacks or a bad value is refused.</summary>
    public static TargetGroup Apply(TargetGroup group, IEnumerable<KeyValuePair<string, string>> changes)
    {
        var definitions = TargetGroupAttributeSets.For(group);
        var attributes = group.Attributes.ToBuilder();
        foreach (var (key, value) in changes)
        {
            if (AttributeSet.Check(definitions, key, value) is { } why)
                throw new ApiException("InvalidConfigurationRequest", why);
            attributes[key] = value;
        }
        return group with { Attributes = attributes.ToImmutable() };
    }
}
