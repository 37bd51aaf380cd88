using Microsoft.AspNetCore.Http;

namespace Elbe.ControlPlane.Api;

/// <summary>Checks a request's AWS Signature Version 4 and says who signed it and for which region.</summary>
public interface ISignatureVerifier
{
    /// <summary>Throws <see cref="ApiException"/> (MissingAuthenticationToken, IncompleteSignature, InvalidClientTokenId,
    /// SignatureDoesNotMatch, RequestExpired) when the request is not properly signed for <paramref name="service"/>
    /// (the credential scope's service: elasticloadbalancing, or acm for the ACM protocol on the same port).</summary>
    SignedIdentity Verify(HttpRequest request, ReadOnlySpan<byte> body, string service = Signing.SigV4Signer.Service);
}

/// <summary>The access key that signed, its account, and the region from the credential scope.</summary>
public sealed record SignedIdentity(string AccessKeyId, string AccountId, string Region);
