using System.Collections.Immutable;
using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Elbe.ControlPlane.Templates;

/// <summary>
/// The Parameters section. Nothing supplies values at load time, so every parameter must have a Default;
/// list types (CommaDelimitedList, List&lt;...&gt;) become lists, the rest strings.
/// </summary>
internal static class TemplateParameters
{
    private static readonly HashSet<string> Keys =
        ["Type", "Default", "Description", "AllowedValues", "AllowedPattern", "ConstraintDescription", "MinLength", "MaxLength", "MinValue", "MaxValue", "NoEcho"];

    public static Dictionary<string, TemplateValue> Read(YamlMappingNode? section, TemplateDiagnostics diagnostics)
    {
        var values = new Dictionary<string, TemplateValue>(StringComparer.Ordinal);
        foreach (var (keyNode, node) in section?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>())
        {
            var name = keyNode.KeyText() ?? "";
            var path = "Parameters." + name;
            if (node is not YamlMappingNode definition)
            {
                diagnostics.Report(node.Location(), null, path, "A parameter must be an object with Type and Default.");
                continue;
            }
            string? Text(string key) => (definition.Children.FirstOrDefault(c => c.Key.KeyText() == key).Value as YamlScalarNode)?.Value;
            foreach (var (k, _) in definition.Children)
                if (!Keys.Contains(k.KeyText() ?? ""))
                    diagnostics.Report(k.Location(), null, path + "." + k.KeyText(), $"'{k.KeyText()}' is not a parameter property.");

            var type = Text("Type");
            if (type is null) { diagnostics.Report(definition.Location(), null, path + ".Type", "Type is required."); continue; }
            var defaultNode = definition.Children.FirstOrDefault(c => c.Key.KeyText() == "Default").Value;
            if (defaultNode is null)
            {
                diagnostics.Report(definition.Location(), null, path + ".Default",
                    $"Parameter '{name}' has no Default; templates are loaded without parameter values, so every parameter needs one.");
                continue;
            }
            var at = defaultNode.Location();
            var isList = type == "CommaDelimitedList" || type.StartsWith("List<", StringComparison.Ordinal);
            var isKnown = isList || type is "String" or "Number" || type.StartsWith("AWS::", StringComparison.Ordinal);
            if (!isKnown) { diagnostics.Report(definition.Location(), null, path + ".Type", $"'{type}' is not a parameter type."); continue; }

            string[] items;
            if (defaultNode is YamlSequenceNode seq && isList)
                items = [.. seq.Children.Select(c => (c as YamlScalarNode)?.Value ?? "")];
            else if (defaultNode is YamlScalarNode scalar)
                items = isList ? (scalar.Value ?? "").Split(',').Select(s => s.Trim()).ToArray() : [scalar.Value ?? ""];
            else { diagnostics.Report(at, null, path + ".Default", "Default must be a string."); continue; }

            if (type is "Number" or "List<Number>"
                && items.FirstOrDefault(i => !double.TryParse(i, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) is { } notNumber)
            {
                diagnostics.Report(at, null, path + ".Default", $"'{notNumber}' is not a number.");
                continue;
            }
            if (definition.Children.FirstOrDefault(c => c.Key.KeyText() == "AllowedValues").Value is YamlSequenceNode allowed)
            {
                var allowedValues = allowed.Children.Select(c => (c as YamlScalarNode)?.Value).ToHashSet();
                if (items.FirstOrDefault(i => !allowedValues.Contains(i)) is { } notAllowed)
                {
                    diagnostics.Report(at, null, path + ".Default", $"'{notAllowed}' is not one of the AllowedValues.");
                    continue;
                }
            }
            values[name] = isList
                ? new TemplateList([.. items.Select((v, i) => (TemplateValue)new TemplateScalar(v, at, $"{path}.Default[{i}]"))], at, path + ".Default")
                : new TemplateScalar(items[0], at, path + ".Default");
        }
        return values;
    }
}
