using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Api.Shapes;

/// <summary>
/// The ELBv2 <c>Tag</c> shape and the <c>Tags</c> list every Create* and AddTags take: keys 1-128 and values
/// 0-256 characters of letters, digits, spaces and <c>_ . : / = + - @</c>; a key at most once per call; at most
/// 50 tags on a resource.
/// </summary>
public static partial class TagShape
{
    public const int MaxTagsPerResource = 50;
    public const int MaxKeyLength = 128;
    public const int MaxValueLength = 256;
    private const string Pattern = @"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$";

    [GeneratedRegex(Pattern)]
    private static partial Regex Allowed();

    public static void Write(AwsXmlWriter w, Tag tag) => w.Value("Key", tag.Key).Value("Value", tag.Value);

    public static void WriteList(AwsXmlWriter w, string name, ImmutableArray<Tag> tags) => w.List(name, tags.IsDefault ? [] : tags, Write);

    /// <summary>
    /// The tags of a request's <paramref name="member"/> list, checked one by one and for repeated keys
    /// (DuplicateTagKeys) and their number (TooManyTags); null when the request has none. A missing Value is "".
    /// </summary>
    public static ImmutableArray<Tag>? ReadList(QueryParameters parameters, string member = "Tags")
    {
        var items = parameters.GetStructList(member);
        if (items is null) return null;
        var wireName = char.ToLowerInvariant(member[0]) + member[1..];
        if (items.Count == 0)
            throw ApiException.Constraint(wireName, "[]", "Member must have length greater than or equal to 1");

        var tags = ImmutableArray.CreateBuilder<Tag>(items.Count);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var at = $"{wireName}.{(i + 1).ToString(CultureInfo.InvariantCulture)}.member";
            var key = items[i].Get("Key") ?? throw ApiException.Constraint($"{at}.key", null, "Member must not be null");
            var value = items[i].Get("Value") ?? "";
            CheckKey(key, $"{at}.key");
            CheckValue(value, $"{at}.value");
            if (!keys.Add(key)) throw DuplicateKeys(key);
            tags.Add(new Tag(key, value));
        }
        if (tags.Count > MaxTagsPerResource) throw TooMany();
        return tags.MoveToImmutable();
    }

    /// <summary>A tag key as RemoveTags names it (<paramref name="memberName"/> as AWS spells it in errors, e.g. "tagKeys.1.member").</summary>
    public static void CheckKey(string key, string memberName)
    {
        if (key.Length < 1) throw ApiException.Constraint(memberName, key, "Member must have length greater than or equal to 1");
        if (key.Length > MaxKeyLength) throw ApiException.Constraint(memberName, key, $"Member must have length less than or equal to {MaxKeyLength}");
        if (!Allowed().IsMatch(key)) throw ApiException.Constraint(memberName, key, $"Member must satisfy regular expression pattern: {Pattern}");
    }

    private static void CheckValue(string value, string memberName)
    {
        if (value.Length > MaxValueLength) throw ApiException.Constraint(memberName, value, $"Member must have length less than or equal to {MaxValueLength}");
        if (!Allowed().IsMatch(value)) throw ApiException.Constraint(memberName, value, $"Member must satisfy regular expression pattern: {Pattern}");
    }

    /// <summary>
    /// <paramref name="existing"/> with <paramref name="added"/> applied: a key already there keeps its place and
    /// takes the new value, new keys go at the end. TooManyTags when the result would exceed 50.
    /// </summary>
    public static ImmutableArray<Tag> Merge(ImmutableArray<Tag> existing, IReadOnlyList<Tag> added)
    {
        var result = existing.IsDefault ? ImmutableArray.CreateBuilder<Tag>() : existing.ToBuilder();
        foreach (var tag in added)
        {
            var index = IndexOf(result, tag.Key);
            if (index >= 0) result[index] = tag;
            else result.Add(tag);
        }
        if (result.Count > MaxTagsPerResource) throw TooMany();
        return result.ToImmutable();
    }

    private static int IndexOf(ImmutableArray<Tag>.Builder tags, string key)
    {
        for (var i = 0; i < tags.Count; i++)
            if (string.Equals(tags[i].Key, key, StringComparison.Ordinal)) return i;
        return -1;
    }

    /// <summary><paramref name="existing"/> without the given keys; keys it does not have are ignored.</summary>
    public static ImmutableArray<Tag> Remove(ImmutableArray<Tag> existing, IReadOnlyCollection<string> keys)
    {
        if (existing.IsDefault) return [];
        var drop = keys as ISet<string> ?? new HashSet<string>(keys, StringComparer.Ordinal);
        return existing.RemoveAll(t => drop.Contains(t.Key));
    }

    public static ApiException TooMany() =>
        new("TooManyTags", $"You've reached the limit on the number of tags per resource ({MaxTagsPerResource})");

    private static ApiException DuplicateKeys(string key) =>
        new("DuplicateTagKeys", $"Tag key '{key}' is specified more than once");
}
