using System.Text;
using Elbe.Model.Validation;

namespace Elbe.ControlPlane.Templates;

/// <summary>
/// Finds the template line a model validation error is about: the ARN names the resource, and its Path
/// (API/CloudFormation property names, e.g. <c>Conditions[0].PathPatternConfig.Values[1]</c> or
/// <c>Attributes[idle_timeout.timeout_seconds]</c>) is walked through the resolved properties as far as it goes.
/// </summary>
internal sealed class ValidationErrorLocator(TemplateDiagnostics diagnostics, TemplateLocation fallback)
{
    private readonly Dictionary<string, (StackResource Resource, TemplateMap Properties)> _byArn = new(StringComparer.Ordinal);

    public void Register(string arn, StackResource resource, TemplateMap properties) => _byArn[arn] = (resource, properties);

    public TemplateError Locate(ModelValidationException error)
    {
        if (error.ResourceArn is null || !_byArn.TryGetValue(error.ResourceArn, out var known))
            return diagnostics.Error(fallback, null, error.Path is null ? null : "Resources", error.Message);
        var (resource, properties) = known;
        var path = error.Path is null ? resource.Path : resource.PropertiesPath + "." + error.Path;
        var at = error.Path is null ? resource.Location : Walk(properties, Segments(error.Path));
        return diagnostics.Error(at, resource.LogicalId, path, error.Message);
    }

    private abstract record Segment;
    private sealed record Name(string Value) : Segment;
    private sealed record Index(int Value) : Segment;
    private sealed record Key(string Value) : Segment;

    private static List<Segment> Segments(string path)
    {
        var segments = new List<Segment>();
        var word = new StringBuilder();
        void Flush()
        {
            if (word.Length > 0) segments.Add(new Name(word.ToString()));
            word.Clear();
        }
        for (var i = 0; i < path.Length; i++)
        {
            switch (path[i])
            {
                case '.': Flush(); break;
                case '[':
                    Flush();
                    var close = path.IndexOf(']', i);
                    if (close < 0) close = path.Length;
                    var inside = path[(i + 1)..close];
                    segments.Add(int.TryParse(inside, out var n) ? new Index(n) : new Key(inside));
                    i = close;
                    break;
                default: word.Append(path[i]); break;
            }
        }
        Flush();
        return segments;
    }

    private static TemplateLocation Walk(TemplateMap properties, List<Segment> segments)
    {
        TemplateValue current = properties;
        foreach (var segment in segments)
        {
            TemplateValue? next = (segment, current) switch
            {
                (Name name, TemplateMap map) => map.Find(name.Value)?.Value ?? Alias(map, name.Value),
                (Index index, TemplateList list) => index.Value < list.Items.Length ? list.Items[index.Value] : null,
                (Key key, TemplateList list) => KeyedItem(list, key.Value),
                _ => null,
            };
            if (next is null)
            {
                // The legacy top-level Values of a condition sits one level up from where the model reports it.
                if (segment is Name { Value: var config } && config.EndsWith("Config", StringComparison.Ordinal) && current is TemplateMap) continue;
                break;
            }
            current = next;
        }
        return current.Location;
    }

    private static TemplateValue? Alias(TemplateMap map, string name) => name switch
    {
        "Attributes" => map.Entries.FirstOrDefault(e => e.Key.EndsWith("Attributes", StringComparison.Ordinal))?.Value,
        "Actions" => map.Find("DefaultActions")?.Value,
        "DefaultActions" => map.Find("Actions")?.Value,
        _ => null,
    };

    private static TemplateValue? KeyedItem(TemplateList list, string key)
    {
        foreach (var item in list.Items)
            if (item is TemplateMap m && m.Find("Key")?.Value is TemplateScalar k && k.Value == key)
                return m.Find("Value")?.Value ?? m;
        return null;
    }
}
