using System.Collections;

namespace Elbe.Api.Tests.Infrastructure;

/// <summary>
/// Request parameters flattened the way botocore flattens them (fact sheet §1.2), in the order they were added:
/// <c>Name.member.N</c> for lists, <c>Name.Field</c> for structures, <c>Name.entry.N.key/value</c> for maps and the
/// bare key for an empty list. Also a collection initializer for raw keys: <c>new() { { "Names.member.1", "a" } }</c>.
/// </summary>
public sealed class ApiRequestParameters : IEnumerable<KeyValuePair<string, string>>
{
    private readonly List<KeyValuePair<string, string>> _pairs;
    private readonly string _prefix;

    public ApiRequestParameters() : this([], "") { }

    private ApiRequestParameters(List<KeyValuePair<string, string>> pairs, string prefix)
    {
        _pairs = pairs;
        _prefix = prefix;
    }

    public ApiRequestParameters Add(string name, string value)
    {
        _pairs.Add(new(_prefix + name, value));
        return this;
    }

    public ApiRequestParameters Add(string name, int value) => Add(name, value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public ApiRequestParameters Add(string name, bool value) => Add(name, value ? "true" : "false");

    /// <summary>A list of scalars; an empty one is sent as the bare key, as the CLI does for <c>'[]'</c>.</summary>
    public ApiRequestParameters List(string name, params IEnumerable<string> items)
    {
        var index = 0;
        foreach (var item in items) Add($"{name}.member.{++index}", item);
        if (index == 0) Add(name, "");
        return this;
    }

    public ApiRequestParameters Struct(string name, Action<ApiRequestParameters> members)
    {
        members(new ApiRequestParameters(_pairs, $"{_prefix}{name}."));
        return this;
    }

    public ApiRequestParameters StructList(string name, params IEnumerable<Action<ApiRequestParameters>> items)
    {
        var index = 0;
        foreach (var members in items) members(new ApiRequestParameters(_pairs, $"{_prefix}{name}.member.{++index}."));
        if (index == 0) Add(name, "");
        return this;
    }

    /// <summary>Tags.member.N.Key / .Value, the most common structure list.</summary>
    public ApiRequestParameters Tags(params IEnumerable<(string Key, string Value)> tags) =>
        StructList("Tags", tags.Select(tag => (Action<ApiRequestParameters>)(t => t.Add("Key", tag.Key).Add("Value", tag.Value))));

    public ApiRequestParameters Map(string name, IEnumerable<KeyValuePair<string, string>> entries)
    {
        var index = 0;
        foreach (var (key, value) in entries)
        {
            index++;
            Add($"{name}.entry.{index}.key", key);
            Add($"{name}.entry.{index}.value", value);
        }
        return this;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _pairs.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
