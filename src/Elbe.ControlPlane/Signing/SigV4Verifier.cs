using System.Security.Cryptography;
using System.Text;
using Elbe.ControlPlane.Api;
using Microsoft.AspNetCore.Http;

namespace Elbe.ControlPlane.Signing;

/// <summary>
/// Checks SigV4 the way AWS's query APIs do, answering with their error codes: the signer must be a known key, the
/// scope must be for the service asked (<c>elasticloadbalancing</c> unless said otherwise) on the day of X-Amz-Date, that date within five minutes of now,
/// and the signature (recomputed with <see cref="SigV4Signer"/>) must match. Any region is accepted: it is where
/// the request's resources live.
/// </summary>
public sealed class SigV4Verifier : ISignatureVerifier
{
    public static readonly TimeSpan AllowedClockSkew = TimeSpan.FromMinutes(5);

    private const string MismatchMessage = "The request signature we calculated does not match the signature you provided. " +
        "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    private readonly Dictionary<string, ApiCredentials> _keys;
    private readonly TimeProvider _clock;

    public SigV4Verifier(IEnumerable<ApiCredentials> accepted, TimeProvider? clock = null)
    {
        _keys = accepted.ToDictionary(c => c.AccessKeyId, StringComparer.Ordinal);
        _clock = clock ?? TimeProvider.System;
    }

    public SigV4Verifier(ApiCredentials accepted, TimeProvider? clock = null) : this([accepted], clock) { }

    public SignedIdentity Verify(HttpRequest request, ReadOnlySpan<byte> body, string service = SigV4Signer.Service)
    {
        var query = RawQuery(request.QueryString.Value);
        var presigned = !request.Headers.ContainsKey("Authorization") && query.Any(p => p.Key == "X-Amz-Algorithm");
        string? Query(string name) => query.FirstOrDefault(p => p.Key == name).Value;

        string authorizationHeader = request.Headers.Authorization.ToString();
        if (!presigned && string.IsNullOrWhiteSpace(authorizationHeader))
            throw new ApiException("MissingAuthenticationToken", "Request is missing Authentication Token", 403);

        var authorization = presigned ? SigV4Authorization.ParseQuery(Query) : SigV4Authorization.ParseHeader(authorizationHeader);
        var amzDate = presigned ? Query("X-Amz-Date") : request.Headers["X-Amz-Date"].ToString();
        if (!SigV4Signer.TryParseDate(amzDate, out var signedAt))
            throw new ApiException("IncompleteSignature", string.IsNullOrEmpty(amzDate)
                ? "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
                : $"Date must be in ISO-8601 'basic format'. Got '{amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601");

        if (!_keys.TryGetValue(authorization.AccessKeyId, out var credentials))
            throw new ApiException("InvalidClientTokenId", "The security token included in the request is invalid.", 403);

        CheckScope(authorization, amzDate!, service);
        CheckTime(signedAt, presigned ? Query("X-Amz-Expires") : null);
        if (!authorization.SignedHeaders.Contains("host", StringComparer.Ordinal))
            throw new ApiException("IncompleteSignature", "'Host' must be a 'SignedHeader' in the AWS Authorization.");

        var signed = new SigV4Request(
            request.Method,
            request.Path.HasValue ? request.Path.Value! : "/",
            presigned ? query.Where(p => p.Key != "X-Amz-Signature").ToList() : query,
            SignedHeaderValues(request, authorization.SignedHeaders),
            SigV4Signer.PayloadHash(body));
        var expected = SigV4Signer.Sign(signed, credentials.AccessKeyId, credentials.SecretAccessKey, amzDate!, authorization.Scope.Region, authorization.Scope.Service);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected.Signature), Encoding.ASCII.GetBytes(authorization.Signature.ToLowerInvariant())))
            throw new ApiException("SignatureDoesNotMatch", MismatchMessage, 403);

        return new SignedIdentity(credentials.AccessKeyId, credentials.AccountId, authorization.Scope.Region);
    }

    private static void CheckScope(SigV4Authorization authorization, string amzDate, string service)
    {
        var scope = authorization.Scope;
        if (authorization.Terminator != SigV4Scope.Terminator)
            throw new ApiException("SignatureDoesNotMatch", $"Credential should be scoped with a valid terminator: '{SigV4Scope.Terminator}', not '{authorization.Terminator}'.", 403);
        if (scope.Service != service)
            throw new ApiException("SignatureDoesNotMatch", $"Credential should be scoped to correct service: '{service}'. ", 403);
        if (scope.Date != amzDate[..8])
            throw new ApiException("SignatureDoesNotMatch",
                $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope.Date}' != '{amzDate[..8]}', from '{amzDate}'.", 403);
    }

    /// <summary>Within the allowed skew either way; a presigned URL also until its X-Amz-Expires runs out.</summary>
    private void CheckTime(DateTimeOffset signedAt, string? expiresSeconds)
    {
        var now = _clock.GetUtcNow();
        var validUntil = signedAt + AllowedClockSkew;
        if (expiresSeconds is not null)
        {
            if (!int.TryParse(expiresSeconds, out var seconds) || seconds < 1 || seconds > 604800)
                throw new ApiException("IncompleteSignature", "X-Amz-Expires must be a number of seconds between 1 and 604800.");
            validUntil = signedAt + TimeSpan.FromSeconds(seconds);
        }
        if (now > validUntil || signedAt > now + AllowedClockSkew)
            throw new ApiException("RequestExpired", "Request has expired.", 400);
    }

    private static List<KeyValuePair<string, string>> SignedHeaderValues(HttpRequest request, IReadOnlyList<string> names)
    {
        var headers = new List<KeyValuePair<string, string>>(names.Count);
        foreach (var name in names)
        {
            var values = request.Headers[name];
            if (values.Count == 0) headers.Add(new(name, ""));
            foreach (var value in values) headers.Add(new(name, value ?? ""));
        }
        return headers;
    }

    /// <summary>
    /// The query as the client signed it: split by hand and %-decoded without turning '+' into a space, because the
    /// signer encodes what it was given, not what a form decoder would make of it.
    /// </summary>
    private static List<KeyValuePair<string, string>> RawQuery(string? queryString)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrEmpty(queryString)) return pairs;
        foreach (var pair in queryString.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            pairs.Add(new(Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]), eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..])));
        }
        return pairs;
    }
}
