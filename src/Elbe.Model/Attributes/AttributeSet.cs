using System.Collections.Immutable;
using System.Globalization;

namespace Elbe.Model.Attributes;

/// <summary>Reads attribute values with their defaults filled in.</summary>
public readonly struct AttributeSet(ImmutableSortedDictionary<string, string> values, ImmutableArray<AttributeDefinition> definitions)
{
    public string Get(string key)
    {
        if (values.TryGetValue(key, out var v)) return v;
        foreach (var d in definitions)
            if (d.Key == key) return d.Default;
        throw new KeyNotFoundException(key);
    }

    public int GetInt(string key) => int.Parse(Get(key), CultureInfo.InvariantCulture);
    public bool GetBool(string key) => Get(key) == "true";

    /// <summary>Every key with its effective value, as Describe*Attributes lists them.</summary>
    public IEnumerable<KeyValuePair<string, string>> All()
    {
        foreach (var d in definitions)
            yield return new(d.Key, values.TryGetValue(d.Key, out var v) ? v : d.Default);
    }

    /// <summary>Null when the key and value are valid, else the reason.</summary>
    public static string? Check(ImmutableArray<AttributeDefinition> definitions, string key, string value)
    {
        foreach (var d in definitions)
            if (d.Key == key) return d.Check(value) is { } why ? $"'{value}' is not valid for '{key}': {why}" : null;
        return $"'{key}' is not a valid attribute key";
    }
}
