using System.Collections.Immutable;

namespace Elbe.ControlPlane.Templates;

/// <summary>
/// A template value after intrinsic functions are resolved. Every value remembers where it was written
/// (the intrinsic's position for computed values) and its template path, so any later complaint,
/// including one from the model validator, can point at a line.
/// </summary>
internal abstract record TemplateValue(TemplateLocation Location, string Path)
{
    public abstract string Describe { get; }
}

internal sealed record TemplateScalar(string Value, TemplateLocation Location, string Path) : TemplateValue(Location, Path)
{
    public override string Describe => "a string";
}

internal sealed record TemplateList(ImmutableArray<TemplateValue> Items, TemplateLocation Location, string Path) : TemplateValue(Location, Path)
{
    public override string Describe => "a list";
}

internal sealed record TemplateMap(ImmutableArray<TemplateMapEntry> Entries, TemplateLocation Location, string Path) : TemplateValue(Location, Path)
{
    public override string Describe => "an object";

    public TemplateMapEntry? Find(string key)
    {
        foreach (var e in Entries)
            if (e.Key == key) return e;
        return null;
    }
}

internal sealed record TemplateMapEntry(string Key, TemplateLocation KeyLocation, TemplateValue Value);

/// <summary>1-based line and column, as editors show them.</summary>
public readonly record struct TemplateLocation(int Line, int Column);
