using System.Collections.Immutable;
using System.Globalization;

namespace Elbe.ControlPlane.Templates;

/// <summary>
/// Typed access to one resolved object of a resource's properties. It refuses keys outside the allowed set,
/// as CloudFormation does, and takes numbers and booleans written as strings ("80", "true") as it does.
/// Problems are recorded and the value is treated as absent, so one load reports them all.
/// </summary>
internal sealed class PropertyReader
{
    private readonly TemplateMap _map;
    private readonly TemplateDiagnostics _diagnostics;

    public PropertyReader(TemplateMap map, TemplateDiagnostics diagnostics, string logicalId, string what, IReadOnlyCollection<string> allowed, IReadOnlyCollection<string>? ignored = null)
    {
        _map = map;
        _diagnostics = diagnostics;
        LogicalId = logicalId;
        foreach (var entry in map.Entries)
        {
            if (allowed.Contains(entry.Key)) continue;
            if (ignored?.Contains(entry.Key) == true)
                diagnostics.Warn(entry.KeyLocation, logicalId, $"{Path}.{entry.Key}: Elbe does not implement {entry.Key}; it is ignored.");
            else
                diagnostics.Report(entry.KeyLocation, logicalId, Path + "." + entry.Key, $"'{entry.Key}' is not a property of {what}.");
        }
    }

    public string LogicalId { get; }
    public string Path => _map.Path;
    public TemplateLocation Location => _map.Location;

    public TemplateValue? Raw(string key) => _map.Find(key)?.Value;

    public void Report(TemplateValue at, string message) => _diagnostics.Report(at.Location, LogicalId, at.Path, message);

    private void Missing(string key) => _diagnostics.Report(_map.Location, LogicalId, Path + "." + key, $"{key} is required.");

    public string? String(string key, bool required = false)
    {
        switch (Raw(key))
        {
            case null: if (required) Missing(key); return null;
            case TemplateScalar s: return s.Value;
            case var other: Report(other, $"{key} must be a string, not {other.Describe}."); return null;
        }
    }

    public int? Int(string key, bool required = false)
    {
        switch (Raw(key))
        {
            case null: if (required) Missing(key); return null;
            case TemplateScalar s when int.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n): return n;
            case var other: Report(other, $"{key} must be an integer, not {Shown(other)}."); return null;
        }
    }

    public bool? Bool(string key)
    {
        switch (Raw(key))
        {
            case null: return null;
            case TemplateScalar s when bool.TryParse(s.Value, out var b): return b;
            case var other: Report(other, $"{key} must be true or false, not {Shown(other)}."); return null;
        }
    }

    public ImmutableArray<string> Strings(string key, bool required = false)
    {
        switch (Raw(key))
        {
            case null: if (required) Missing(key); return [];
            case TemplateList list:
                var builder = ImmutableArray.CreateBuilder<string>();
                foreach (var item in list.Items)
                    if (item is TemplateScalar s) builder.Add(s.Value);
                    else Report(item, $"{key} items must be strings, not {item.Describe}.");
                return builder.ToImmutable();
            case var other: Report(other, $"{key} must be a list of strings, not {other.Describe}."); return [];
        }
    }

    public PropertyReader? Object(string key, string what, IReadOnlyCollection<string> allowed, bool required = false)
    {
        switch (Raw(key))
        {
            case null: if (required) Missing(key); return null;
            case TemplateMap m: return new PropertyReader(m, _diagnostics, LogicalId, what, allowed);
            case var other: Report(other, $"{key} must be an object, not {other.Describe}."); return null;
        }
    }

    public IReadOnlyList<PropertyReader> Objects(string key, string what, IReadOnlyCollection<string> allowed, bool required = false)
    {
        switch (Raw(key))
        {
            case null: if (required) Missing(key); return [];
            case TemplateList list:
                var readers = new List<PropertyReader>();
                foreach (var item in list.Items)
                    if (item is TemplateMap m) readers.Add(new PropertyReader(m, _diagnostics, LogicalId, what, allowed));
                    else Report(item, $"{key} items must be objects, not {item.Describe}.");
                return readers;
            case var other: Report(other, $"{key} must be a list, not {other.Describe}."); return [];
        }
    }

    /// <summary>[{Key, Value}] lists (attributes, tags) as key/value pairs, each checked to have both.</summary>
    public IReadOnlyList<(string Key, string Value, PropertyReader Item)> KeyValues(string key, string what)
    {
        var pairs = new List<(string, string, PropertyReader)>();
        foreach (var item in Objects(key, what, ["Key", "Value"]))
        {
            var k = item.String("Key", required: true);
            var v = item.String("Value", required: true);
            if (k is not null && v is not null) pairs.Add((k, v, item));
        }
        return pairs;
    }

    private static string Shown(TemplateValue value) => value is TemplateScalar s ? $"'{s.Value}'" : value.Describe;
}
