using System.Globalization;

namespace Elbe.ControlPlane.Api;

/// <summary>
/// The flattened parameters of a query-protocol request, seen through a prefix so nested structures read like
/// top-level ones: <c>Actions.member.1.</c> turns <c>Actions.member.1.Type</c> into <c>Type</c>.
/// Lists are <c>Name.member.N</c> (N from 1), maps <c>Name.entry.N.key/value</c>, and an empty list is the bare
/// key with an empty value.
/// </summary>
public sealed class QueryParameters
{
    private readonly IReadOnlyDictionary<string, string> _all;
    private readonly string _prefix;

    public QueryParameters(IReadOnlyDictionary<string, string> all, string prefix = "")
    {
        _all = all;
        _prefix = prefix;
    }

    /// <summary>The raw key prefix of this view, e.g. "Actions.member.1."; <see cref="MemberName"/> gives AWS's spelling for errors.</summary>
    public string Prefix => _prefix;

    public bool Has(string name) => _all.ContainsKey(_prefix + name) || HasAnyUnder(name + ".");

    public string? Get(string name) => _all.TryGetValue(_prefix + name, out var v) ? v : null;

    public string Require(string name) =>
        Get(name) ?? throw ApiException.Constraint(MemberName(name), null, "Member must not be null");

    public int? GetInt(string name)
    {
        var text = Get(name);
        if (text is null) return null;
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
            ? v : throw ApiException.Validation($"Value '{text}' at '{MemberName(name)}' is not a valid integer");
    }

    public long? GetLong(string name)
    {
        var text = Get(name);
        if (text is null) return null;
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
            ? v : throw ApiException.Validation($"Value '{text}' at '{MemberName(name)}' is not a valid long");
    }

    public bool? GetBool(string name)
    {
        var text = Get(name);
        if (text is null) return null;
        return text.ToLowerInvariant() switch
        {
            "true" => true,
            "false" => false,
            _ => throw ApiException.Validation($"Value '{text}' at '{MemberName(name)}' is not a valid boolean"),
        };
    }

    /// <summary>A list of scalars; null when absent, empty for the bare-key form.</summary>
    public List<string>? GetList(string name)
    {
        var items = Members(name);
        if (items is null) return null;
        var list = new List<string>(items.Count);
        foreach (var index in items)
        {
            // Only structure members (Name.member.N.Field) or a zero-padded index: not a list of scalars, and no reason for a 500.
            if (!_all.TryGetValue($"{_prefix}{name}.member.{index}", out var item))
                throw ApiException.Validation($"Value at '{MemberName($"{name}.member.{index}")}' is not a valid string");
            list.Add(item);
        }
        return list;
    }

    /// <summary>A list of structures, each as a view; null when absent.</summary>
    public List<QueryParameters>? GetStructList(string name)
    {
        var items = Members(name);
        if (items is null) return null;
        var list = new List<QueryParameters>(items.Count);
        foreach (var index in items) list.Add(new QueryParameters(_all, $"{_prefix}{name}.member.{index}."));
        return list;
    }

    /// <summary>A nested structure as a view; null when none of its members is present.</summary>
    public QueryParameters? GetStruct(string name) => HasAnyUnder(name + ".") ? new QueryParameters(_all, $"{_prefix}{name}.") : null;

    /// <summary>A map (Name.entry.N.key / .value); null when absent.</summary>
    public Dictionary<string, string>? GetMap(string name)
    {
        var head = $"{_prefix}{name}.entry.";
        Dictionary<string, string>? map = null;
        foreach (var (key, value) in _all)
        {
            if (!key.StartsWith(head, StringComparison.Ordinal) || !key.EndsWith(".key", StringComparison.Ordinal)) continue;
            map ??= new Dictionary<string, string>(StringComparer.Ordinal);
            var valueKey = key[..^".key".Length] + ".value";
            map[value] = _all.TryGetValue(valueKey, out var v) ? v : "";
        }
        if (map is null && _all.TryGetValue(_prefix + name, out var bare) && bare.Length == 0) return [];
        return map;
    }

    /// <summary>The N of every Name.member.N present, in ascending order; null when the list is absent.</summary>
    private List<int>? Members(string name)
    {
        var head = $"{_prefix}{name}.member.";
        SortedSet<int>? indexes = null;
        foreach (var key in _all.Keys)
        {
            if (!key.StartsWith(head, StringComparison.Ordinal)) continue;
            var rest = key.AsSpan(head.Length);
            var dot = rest.IndexOf('.');
            if (dot >= 0) rest = rest[..dot];
            if (int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                (indexes ??= []).Add(index);
        }
        if (indexes is not null) return [.. indexes];
        return _all.TryGetValue(_prefix + name, out var bare) && bare.Length == 0 ? [] : null;
    }

    private bool HasAnyUnder(string relativePrefix)
    {
        var head = _prefix + relativePrefix;
        foreach (var key in _all.Keys)
            if (key.StartsWith(head, StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>
    /// AWS names members in errors in lower camel case with the list index before "member", e.g. "subnets" or
    /// "tags.1.member.key" for Tags.member.1.Key.
    /// </summary>
    public string MemberName(string name)
    {
        var segments = (_prefix + name).Split('.');
        var named = new List<string>(segments.Length);
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment == "member" && i + 1 < segments.Length)
            {
                named.Add(segments[++i]);
                named.Add("member");
            }
            else if (segment.Length > 0)
                named.Add(char.ToLowerInvariant(segment[0]) + segment[1..]);
        }
        return string.Join('.', named);
    }
}
