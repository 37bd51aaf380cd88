using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace Elbe.ControlPlane.Templates;

/// <summary>
/// Turns YAML nodes into <see cref="TemplateValue"/>s, evaluating intrinsic functions in both their short-tag
/// (<c>!Ref</c>) and long (<c>Ref</c>, <c>Fn::Sub</c>) forms. A null result means AWS::NoValue removed the value.
/// </summary>
internal sealed class IntrinsicResolver(TemplateDiagnostics diagnostics, ITemplateSymbols symbols)
{
    private static readonly HashSet<string> Unsupported =
        ["Fn::If", "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or", "Condition", "Fn::ImportValue", "Fn::Cidr", "Fn::Transform", "Fn::Length", "Fn::ToJsonString", "Fn::ForEach"];

    public TemplateValue? Resolve(YamlNode node, string path, string? logicalId)
    {
        if (TryGetShortForm(node, out var shortName))
            return Apply(shortName, ResolveContent(node, path, logicalId), node, path, logicalId, "!" + ShortTag(node));
        if (node is YamlMappingNode { Children.Count: 1 } map)
        {
            var (key, value) = map.Children.First();
            if (key.KeyText() is { } name && (name == "Ref" || name.StartsWith("Fn::", StringComparison.Ordinal)))
                return Apply(name, Resolve(value, path + "." + name, logicalId), node, path, logicalId, name);
        }
        return ResolveContent(node, path, logicalId);
    }

    private static string ShortTag(YamlNode node) => node.Tag.Value[1..];

    private static bool TryGetShortForm(YamlNode node, out string name)
    {
        name = "";
        if (node.Tag.IsEmpty) return false;
        var tag = node.Tag.Value;
        if (!tag.StartsWith('!') || tag.StartsWith("!!", StringComparison.Ordinal)) return false;
        var bare = tag[1..];
        name = bare is "Ref" or "Condition" ? bare : "Fn::" + bare;
        return true;
    }

    /// <summary>The node as data, ignoring any tag on the node itself (its tag is the function being applied).</summary>
    private TemplateValue? ResolveContent(YamlNode node, string path, string? logicalId)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                if (node.IsNull())
                    throw diagnostics.Fault(node.Location(), logicalId, path, "A value is required here (null is not allowed).");
                return new TemplateScalar(scalar.Value ?? "", node.Location(), path);
            case YamlSequenceNode sequence:
            {
                var items = ImmutableArray.CreateBuilder<TemplateValue>();
                foreach (var child in sequence.Children)
                    if (Resolve(child, $"{path}[{items.Count}]", logicalId) is { } v) items.Add(v);
                return new TemplateList(items.ToImmutable(), node.Location(), path);
            }
            case YamlMappingNode mapping:
            {
                var entries = ImmutableArray.CreateBuilder<TemplateMapEntry>();
                foreach (var (key, value) in mapping.Children)
                {
                    var name = key.KeyText() ?? throw diagnostics.Fault(key.Location(), logicalId, path, "Keys must be strings.");
                    if (Resolve(value, path + "." + name, logicalId) is { } v) entries.Add(new TemplateMapEntry(name, key.Location(), v));
                }
                return new TemplateMap(entries.ToImmutable(), node.Location(), path);
            }
            default:
                throw diagnostics.Fault(node.Location(), logicalId, path, "Unsupported YAML node.");
        }
    }

    private TemplateValue? Apply(string function, TemplateValue? argument, YamlNode node, string path, string? logicalId, string spelled)
    {
        var at = node.Location();
        if (Unsupported.Contains(function))
            throw diagnostics.Fault(at, logicalId, path, $"Intrinsic function {spelled} is not supported by Elbe.");
        if (argument is null)
            throw diagnostics.Fault(at, logicalId, path, $"{spelled} has no argument.");
        TemplateFault Bad(string expected) => diagnostics.Fault(at, logicalId, path, $"{spelled} expects {expected}.");

        switch (function)
        {
            case "Ref":
                if (argument is not TemplateScalar refName) throw Bad("the name of a parameter or resource");
                return symbols.Ref(refName.Value, at, logicalId, path);

            case "Fn::GetAtt":
            {
                if (argument is TemplateScalar dotted)
                {
                    var dot = dotted.Value.IndexOf('.', StringComparison.Ordinal);
                    if (dot <= 0 || dot == dotted.Value.Length - 1) throw Bad("'LogicalId.Attribute'");
                    return symbols.GetAtt(dotted.Value[..dot], dotted.Value[(dot + 1)..], at, logicalId, path);
                }
                if (argument is TemplateList { Items: [TemplateScalar resource, TemplateScalar attribute] })
                    return symbols.GetAtt(resource.Value, attribute.Value, at, logicalId, path);
                throw Bad("'LogicalId.Attribute' or [LogicalId, Attribute]");
            }

            case "Fn::Sub":
            {
                if (argument is TemplateScalar text) return new TemplateScalar(Substitute(text.Value, null, at, logicalId, path), at, path);
                if (argument is TemplateList { Items: [TemplateScalar withVars, TemplateMap variables] })
                    return new TemplateScalar(Substitute(withVars.Value, variables, at, logicalId, path), at, path);
                if (argument is TemplateList { Items: [TemplateScalar alone] })
                    return new TemplateScalar(Substitute(alone.Value, null, at, logicalId, path), at, path);
                throw Bad("a string or [string, {variables}]");
            }

            case "Fn::Join":
            {
                if (argument is not TemplateList { Items: [TemplateScalar delimiter, TemplateList parts] }) throw Bad("[delimiter, [values]]");
                var strings = parts.Items.Select(p => p as TemplateScalar ?? throw diagnostics.Fault(p.Location, logicalId, p.Path, $"{spelled} can only join strings, not {p.Describe}."));
                return new TemplateScalar(string.Join(delimiter.Value, strings.Select(s => s.Value)), at, path);
            }

            case "Fn::Select":
            {
                if (argument is not TemplateList { Items: [TemplateScalar indexText, TemplateList list] }) throw Bad("[index, [values]]");
                if (!int.TryParse(indexText.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= list.Items.Length)
                    throw diagnostics.Fault(at, logicalId, path, $"{spelled} index '{indexText.Value}' is out of range for a list of {list.Items.Length}.");
                return Relocate(list.Items[index], at, path);
            }

            case "Fn::Split":
            {
                if (argument is not TemplateList { Items: [TemplateScalar separator, TemplateScalar source] } || separator.Value.Length == 0)
                    throw Bad("[separator, string]");
                var pieces = source.Value.Split(separator.Value);
                return new TemplateList([.. pieces.Select((p, i) => (TemplateValue)new TemplateScalar(p, at, $"{path}[{i}]"))], at, path);
            }

            case "Fn::FindInMap":
            {
                if (argument is not TemplateList { Items: [TemplateScalar map, TemplateScalar top, TemplateScalar second] }) throw Bad("[MapName, TopLevelKey, SecondLevelKey]");
                return symbols.FindInMap(map.Value, top.Value, second.Value, at, logicalId, path);
            }

            case "Fn::GetAZs":
                if (argument is not TemplateScalar) throw Bad("a region name or \"\"");
                return new TemplateList([.. symbols.AvailabilityZones.Select((z, i) => (TemplateValue)new TemplateScalar(z, at, $"{path}[{i}]"))], at, path);

            case "Fn::Base64":
                if (argument is not TemplateScalar plain) throw Bad("a string");
                return new TemplateScalar(Convert.ToBase64String(Encoding.UTF8.GetBytes(plain.Value)), at, path);

            default:
                throw diagnostics.Fault(at, logicalId, path, $"Unknown intrinsic function {spelled}.");
        }
    }

    /// <summary>${Name}, ${Resource.Attribute} and ${!Literal}, with the optional variable map consulted first.</summary>
    private string Substitute(string text, TemplateMap? variables, TemplateLocation at, string? logicalId, string path)
    {
        var result = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf("${", i, StringComparison.Ordinal);
            if (open < 0) { result.Append(text, i, text.Length - i); break; }
            result.Append(text, i, open - i);
            var close = text.IndexOf('}', open + 2);
            if (close < 0) throw diagnostics.Fault(at, logicalId, path, $"Fn::Sub: unterminated '${{' in '{text}'.");
            var name = text[(open + 2)..close];
            i = close + 1;
            if (name.StartsWith('!')) { result.Append("${").Append(name, 1, name.Length - 1).Append('}'); continue; }
            name = name.Trim();
            if (variables?.Find(name) is { } variable)
            {
                result.Append(variable.Value as TemplateScalar is { } s ? s.Value
                    : throw diagnostics.Fault(variable.Value.Location, logicalId, variable.Value.Path, $"Fn::Sub variable '{name}' must be a string, not {variable.Value.Describe}."));
                continue;
            }
            var value = name.Contains('.', StringComparison.Ordinal) && !name.StartsWith("AWS::", StringComparison.Ordinal)
                ? symbols.GetAtt(name[..name.IndexOf('.', StringComparison.Ordinal)], name[(name.IndexOf('.', StringComparison.Ordinal) + 1)..], at, logicalId, path)
                : symbols.Ref(name, at, logicalId, path);
            result.Append(value switch
            {
                null => "",
                TemplateScalar scalar => scalar.Value,
                _ => throw diagnostics.Fault(at, logicalId, path, $"Fn::Sub: '${{{name}}}' is {value.Describe}, not a string."),
            });
        }
        return result.ToString();
    }

    /// <summary>A value moved to where it is used, so later errors point at the use.</summary>
    public static TemplateValue Relocate(TemplateValue value, TemplateLocation at, string path) => value switch
    {
        TemplateScalar s => s with { Location = at, Path = path },
        TemplateList l => new TemplateList([.. l.Items.Select((item, i) => Relocate(item, at, $"{path}[{i}]"))], at, path),
        TemplateMap m => new TemplateMap([.. m.Entries.Select(e => e with { KeyLocation = at, Value = Relocate(e.Value, at, path + "." + e.Key) })], at, path),
        _ => value,
    };
}
