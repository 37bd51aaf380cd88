using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Elbe.ControlPlane.Signing;

/// <summary>
/// AWS Signature Version 4 as botocore computes it for the query protocol. Pure functions: the verifier recomputes a
/// signature with them, and test clients sign with them, so both sides cannot drift apart.
/// </summary>
public static class SigV4Signer
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string Service = "elasticloadbalancing";
    public const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>The hash of an empty payload, for GET requests.</summary>
    public static readonly string EmptyPayloadHash = PayloadHash([]);

    public static string PayloadHash(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    public static string FormatDate(DateTimeOffset time) => time.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture);

    public static bool TryParseDate(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    public static SigV4Signature Sign(SigV4Request request, string accessKeyId, string secretAccessKey, string amzDate, string region, string service = Service)
    {
        var scope = new SigV4Scope(amzDate[..8], region, service);
        var canonical = CanonicalRequest(request);
        var stringToSign = StringToSign(amzDate, scope, canonical);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(SigningKey(secretAccessKey, scope), Encoding.UTF8.GetBytes(stringToSign)));
        return new SigV4Signature(accessKeyId, scope, SignedHeaderList(request.Headers), canonical, stringToSign, signature);
    }

    public static string CanonicalRequest(SigV4Request request) => string.Join('\n',
        request.Method.ToUpperInvariant(),
        CanonicalUri(request.Path),
        CanonicalQuery(request.Query),
        CanonicalHeaders(request.Headers),
        SignedHeaderList(request.Headers),
        request.PayloadHash);

    public static string StringToSign(string amzDate, SigV4Scope scope, string canonicalRequest) => string.Join('\n',
        Algorithm,
        amzDate,
        scope.ToString(),
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));

    public static byte[] SigningKey(string secretAccessKey, SigV4Scope scope)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Encoding.UTF8.GetBytes(scope.Date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(scope.Region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(scope.Service));
        return HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(SigV4Scope.Terminator));
    }

    /// <summary>Each path segment encoded once; the API only ever serves "/", so no service-specific double encoding is needed.</summary>
    public static string CanonicalUri(string path)
    {
        if (string.IsNullOrEmpty(path)) return "/";
        var segments = path.Split('/');
        for (var i = 0; i < segments.Length; i++) segments[i] = Encode(segments[i]);
        return string.Join('/', segments);
    }

    /// <summary>Pairs sorted by encoded key, then encoded value, as <c>k=v</c> joined by '&amp;'.</summary>
    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> query)
    {
        var encoded = query.Select(p => (Key: Encode(p.Key), Value: Encode(p.Value))).ToList();
        encoded.Sort((a, b) =>
        {
            var byKey = string.CompareOrdinal(a.Key, b.Key);
            return byKey != 0 ? byKey : string.CompareOrdinal(a.Value, b.Value);
        });
        return string.Join('&', encoded.Select(p => p.Key + "=" + p.Value));
    }

    /// <summary>One <c>name:value</c> line per header, sorted, with a trailing newline; repeated headers join with ','.</summary>
    public static string CanonicalHeaders(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var text = new StringBuilder();
        foreach (var group in GroupHeaders(headers))
            text.Append(group.Key).Append(':').Append(string.Join(',', group.Value)).Append('\n');
        return text.ToString();
    }

    public static string SignedHeaderList(IEnumerable<KeyValuePair<string, string>> headers) =>
        string.Join(';', GroupHeaders(headers).Keys);

    private static SortedDictionary<string, List<string>> GroupHeaders(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var groups = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            var key = name.Trim().ToLowerInvariant();
            if (!groups.TryGetValue(key, out var values)) groups[key] = values = [];
            values.Add(NormalizeValue(value));
        }
        return groups;
    }

    /// <summary>Trimmed, with inner runs of spaces collapsed to one.</summary>
    private static string NormalizeValue(string value)
    {
        var trimmed = value.Trim();
        if (!trimmed.Contains("  ", StringComparison.Ordinal)) return trimmed;
        var text = new StringBuilder(trimmed.Length);
        foreach (var c in trimmed)
            if (c != ' ' || text.Length == 0 || text[^1] != ' ') text.Append(c);
        return text.ToString();
    }

    /// <summary>RFC 3986 percent-encoding of UTF-8 bytes: only A-Z a-z 0-9 - _ . ~ stay as they are; hex is uppercase.</summary>
    public static string Encode(string text)
    {
        var text8 = Encoding.UTF8.GetBytes(text);
        var encoded = new StringBuilder(text8.Length);
        foreach (var b in text8)
        {
            if (b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9'
                or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
                encoded.Append((char)b);
            else
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return encoded.ToString();
    }
}
