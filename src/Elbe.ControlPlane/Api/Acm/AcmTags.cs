using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Elbe.ControlPlane.Certificates;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Api.Acm;

/// <summary>ACM's tag rules: at most 50 per certificate, keys 1-128 and values 0-256 characters of its tag alphabet, no "aws:" keys.</summary>
public static partial class AcmTags
{
    public const int MaxTags = 50;

    [GeneratedRegex(@"^[\p{L}\p{Z}\p{N}_.:\/=+\-@]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Alphabet();

    public static void Check(string key, string? value, string member)
    {
        if (key.Length is 0 or > 128)
            throw AcmRequest.Constraint($"{member}.key", key, key.Length == 0 ? "Member must have length greater than or equal to 1" : "Member must have length less than or equal to 128");
        if (!Alphabet().IsMatch(key))
            throw AcmRequest.Constraint($"{member}.key", key, @"Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:\/=+\-@]*");
        if (value is not null && value.Length > 256)
            throw AcmRequest.Constraint($"{member}.value", value, "Member must have length less than or equal to 256");
        if (value is not null && !Alphabet().IsMatch(value))
            throw AcmRequest.Constraint($"{member}.value", value, @"Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:\/=+\-@]*");
        if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            throw new AcmException(AcmErrorCodes.InvalidTagException, $"Tag key '{key}' uses the reserved prefix 'aws:'.");
    }

    /// <summary>Adds or overwrites by key; more than <see cref="MaxTags"/> in the end is TooManyTagsException.</summary>
    public static ImmutableArray<Tag> Merge(ImmutableArray<Tag> existing, IReadOnlyList<Tag> added, string arn)
    {
        var merged = existing.ToList();
        foreach (var tag in added)
        {
            var index = merged.FindIndex(t => t.Key == tag.Key);
            if (index >= 0) merged[index] = tag;
            else merged.Add(tag);
        }
        if (merged.Count > MaxTags)
            throw new AcmException(AcmErrorCodes.TooManyTagsException, $"the TagSet: '{{{string.Join(", ", merged.Select(t => $"{t.Key}={t.Value}"))}}}' contains too many Tags for resource {arn}");
        return [.. merged];
    }

    /// <summary>Removes each tag whose key matches and, when the request names a value, whose value matches too.</summary>
    public static ImmutableArray<Tag> Remove(ImmutableArray<Tag> existing, IReadOnlyList<(string Key, string? Value)> removed) =>
        [.. existing.Where(t => !removed.Any(r => r.Key == t.Key && (r.Value is null || r.Value == t.Value)))];
}
