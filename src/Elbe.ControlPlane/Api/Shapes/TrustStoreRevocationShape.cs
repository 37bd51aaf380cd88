using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Api.Shapes;

/// <summary>
/// <c>TrustStoreRevocation</c> (AddTrustStoreRevocations) and <c>DescribeTrustStoreRevocation</c>
/// (DescribeTrustStoreRevocations): the same four members under two shape names.
/// </summary>
public static class TrustStoreRevocationShape
{
    public static void Write(AwsXmlWriter w, (string TrustStoreArn, TrustStoreRevocation Revocation) item) =>
        w.Value("TrustStoreArn", item.TrustStoreArn)
            .Value("RevocationId", item.Revocation.RevocationId)
            .Value("RevocationType", item.Revocation.RevocationType)
            .Value("NumberOfRevokedEntries", (long)item.Revocation.RevokedSerialNumbers.Length);

    public static ApiException IdNotFound(long id) => new("RevocationIdNotFound", $"The revocation ID '{id}' was not found in the trust store");
}
