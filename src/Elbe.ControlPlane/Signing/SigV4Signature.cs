namespace Elbe.ControlPlane.Signing;

/// <summary>
/// Everything a signing produced. The intermediate texts are kept because a signature mismatch is only debuggable
/// by comparing them with what the other side computed.
/// </summary>
public sealed record SigV4Signature(
    string AccessKeyId,
    SigV4Scope Scope,
    string SignedHeaders,
    string CanonicalRequest,
    string StringToSign,
    string Signature)
{
    /// <summary>The value of the Authorization header, exactly as botocore writes it.</summary>
    public string AuthorizationHeader =>
        $"{SigV4Signer.Algorithm} Credential={AccessKeyId}/{Scope}, SignedHeaders={SignedHeaders}, Signature={Signature}";
}
