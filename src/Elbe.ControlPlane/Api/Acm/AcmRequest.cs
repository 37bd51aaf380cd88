using System.Text;
using System.Text.Json;
using Elbe.ControlPlane.Certificates;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Api.Acm;

/// <summary>
/// One ACM JSON request body, read member by member with the model's constraints: a missing required member or a
/// value outside its constraint is ACM's "1 validation error detected" ValidationException, naming the member as
/// ACM does (first letter lower-cased).
/// </summary>
public sealed class AcmRequest
{
    private readonly JsonElement _root;

    private AcmRequest(JsonElement root) => _root = root;

    /// <summary>Parses the body; an empty body is an empty object, as botocore sends for operations without input.</summary>
    public static AcmRequest Parse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return new AcmRequest(JsonDocument.Parse("{}").RootElement);
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException();
            return new AcmRequest(document.RootElement.Clone());
        }
        catch (JsonException)
        {
            throw new AcmException("SerializationException", "Start of structure or map found where not expected.");
        }
    }

    public string? String(string member) => Get(member) is { } value
        ? value.ValueKind == JsonValueKind.String ? value.GetString() : throw Serialization(member)
        : null;

    public string RequiredString(string member) => String(member) ?? throw Missing(member);

    /// <summary>An ACM certificate ARN member: present, and matching the model's ARN pattern and length.</summary>
    public string Arn(string member = "CertificateArn") => CheckArn(member, RequiredString(member));

    public string? OptionalArn(string member) => String(member) is { } arn ? CheckArn(member, arn) : null;

    /// <summary>A blob member: base64 in JSON, returned as the text it encodes (PEM is ASCII).</summary>
    public string? Blob(string member, int maxBytes)
    {
        if (String(member) is not { } base64) return null;
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new AcmException("SerializationException", $"Invalid base64 in '{member}'");
        }
        if (bytes.Length is 0 || bytes.Length > maxBytes)
            throw Constraint(member, "<binary>", bytes.Length == 0 ? "Member must have length greater than or equal to 1" : $"Member must have length less than or equal to {maxBytes}");
        return Encoding.UTF8.GetString(bytes);
    }

    public int? Integer(string member)
    {
        if (Get(member) is not { } value) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number)) throw Serialization(member);
        return number;
    }

    public IReadOnlyList<string>? Strings(string member) => Get(member) is { } value ? StringsOf(member, value) : null;

    public JsonElement? Object(string member) => Get(member) is { } value
        ? value.ValueKind == JsonValueKind.Object ? value : throw Serialization(member)
        : null;

    public static IReadOnlyList<string> StringsOf(string member, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array) throw Serialization(member);
        var list = new List<string>();
        foreach (var item in value.EnumerateArray())
            list.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Serialization(member));
        return list;
    }

    /// <summary>A TagList member (1-50 tags; keys 1-128, values 0-256 characters of ACM's tag alphabet), or null when absent.</summary>
    public IReadOnlyList<Tag>? Tags(string member = "Tags") => TagsWithOptionalValues(member)?.Select(t => new Tag(t.Key, t.Value ?? "")).ToList();

    /// <summary>As <see cref="Tags"/>, keeping a missing Value apart from an empty one (RemoveTagsFromCertificate matches on it).</summary>
    public IReadOnlyList<(string Key, string? Value)>? TagsWithOptionalValues(string member = "Tags")
    {
        if (Get(member) is not { } value) return null;
        if (value.ValueKind != JsonValueKind.Array) throw Serialization(member);
        var tags = new List<(string, string?)>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object) throw Serialization(member);
            var tag = new AcmRequest(item);
            var path = $"{Lower(member)}.{tags.Count + 1}.member";
            var key = tag.String("Key") ?? throw Constraint($"{path}.key", null, "Member must not be null");
            var tagValue = tag.String("Value");
            AcmTags.Check(key, tagValue, path);
            tags.Add((key, tagValue));
        }
        if (tags.Count is 0 or > AcmTags.MaxTags)
            throw Constraint(Lower(member), null, tags.Count == 0 ? "Member must have length greater than or equal to 1" : $"Member must have length less than or equal to {AcmTags.MaxTags}");
        return tags;
    }

    private static string CheckArn(string member, string arn)
    {
        if (arn.Length is < 20 or > 2048 || !AcmArnPattern.IsMatch(arn))
            throw Constraint(Lower(member), arn, "Member must satisfy regular expression pattern: " + AcmArnPattern.Text);
        return arn;
    }

    private JsonElement? Get(string member) =>
        _root.TryGetProperty(member, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static AcmException Missing(string member) => Constraint(Lower(member), null, "Member must not be null");

    public static AcmException Constraint(string member, string? value, string constraint) =>
        AcmException.Validation($"1 validation error detected: Value {(value is null ? "null" : $"'{value}'")} at '{member}' failed to satisfy constraint: {constraint}");

    private static AcmException Serialization(string member) => new("SerializationException", $"Unexpected value type for '{member}'");

    private static string Lower(string member) => char.ToLowerInvariant(member[0]) + member[1..];
}

/// <summary>ACM's Arn shape pattern, which botocore does not check client-side.</summary>
internal static class AcmArnPattern
{
    public const string Text = @"arn:[\w+=/,.@-]+:acm:[\w+=/,.@-]*:[0-9]+:[\w+=,.@-]+(/[\w+=,.@-]+)*";

    private static readonly System.Text.RegularExpressions.Regex Regex = new("^" + Text + "$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    public static bool IsMatch(string arn) => Regex.IsMatch(arn);
}
