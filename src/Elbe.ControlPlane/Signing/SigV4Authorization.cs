using Elbe.ControlPlane.Api;

namespace Elbe.ControlPlane.Signing;

/// <summary>
/// What a request claims about its signature: who signed, the scope, the headers covered and the signature, taken from
/// the Authorization header or from the X-Amz-* query parameters of a presigned URL.
/// </summary>
public sealed record SigV4Authorization(string AccessKeyId, SigV4Scope Scope, IReadOnlyList<string> SignedHeaders, string Signature)
{
    /// <summary>Parses <c>AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, SignedHeaders=a;b, Signature=hex</c>.</summary>
    public static SigV4Authorization ParseHeader(string header)
    {
        var text = header.Trim();
        var space = text.IndexOf(' ');
        var algorithm = space < 0 ? text : text[..space];
        if (algorithm != SigV4Signer.Algorithm)
            throw Incomplete($"Unsupported AWS 'algorithm': '{algorithm}'.");

        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text[(space + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) throw Incomplete($"'{part}' not a valid key=value pair (missing equal-sign) in Authorization header: '{header}'.");
            parts[part[..eq]] = part[(eq + 1)..];
        }
        var missing = new[] { "Credential", "Signature", "SignedHeaders" }.Where(name => !parts.ContainsKey(name)).ToList();
        if (missing.Count > 0)
            throw Incomplete(string.Join(' ', missing.Select(name => $"Authorization header requires '{name}' parameter.")) + $" Authorization={header}");
        return Create(parts["Credential"], parts["SignedHeaders"], parts["Signature"]);
    }

    /// <summary>The presigned-URL form: X-Amz-Algorithm, X-Amz-Credential, X-Amz-SignedHeaders, X-Amz-Signature.</summary>
    public static SigV4Authorization ParseQuery(Func<string, string?> query)
    {
        var algorithm = query("X-Amz-Algorithm");
        if (algorithm != SigV4Signer.Algorithm)
            throw Incomplete($"Unsupported AWS 'algorithm': '{algorithm}'.");
        string Require(string name) => query(name) ?? throw Incomplete($"AWS query-string parameters must include '{name}'. Re-examine the query-string parameters.");
        return Create(Require("X-Amz-Credential"), Require("X-Amz-SignedHeaders"), Require("X-Amz-Signature"));
    }

    private static SigV4Authorization Create(string credential, string signedHeaders, string signature)
    {
        var fields = credential.Split('/');
        if (fields.Length != 5 || fields.Any(f => f.Length == 0))
            throw Incomplete($"Credential should be scoped to a valid region and service: '{credential}'.");
        var headers = signedHeaders.Split(';', StringSplitOptions.RemoveEmptyEntries);
        if (headers.Length == 0) throw Incomplete("Authorization header requires 'SignedHeaders' parameter.");
        return new SigV4Authorization(fields[0], new SigV4Scope(fields[1], fields[2], fields[3]), headers, signature) { Terminator = fields[4] };
    }

    /// <summary>The last scope field, which must be <c>aws4_request</c>; kept apart so the verifier can say what was wrong.</summary>
    public string Terminator { get; init; } = SigV4Scope.Terminator;

    private static ApiException Incomplete(string message) => new("IncompleteSignature", message);
}
