using System.Collections.Immutable;

namespace Elbe.Model.Resources;

/// <summary>One revocation list added to a trust store. Only certificate revocation lists (CRL) exist.</summary>
public sealed record TrustStoreRevocation
{
    public const string TypeCrl = "CRL";
    /// <summary>Revoked entries a trust store may hold across all its lists (the service quota).</summary>
    public const long MaxEntriesPerTrustStore = 500_000;

    public required long RevocationId { get; init; }
    public string RevocationType { get; init; } = TypeCrl;
    /// <summary>The list as PEM text ("X509 CRL").</summary>
    public required string Content { get; init; }
    /// <summary>Serial numbers of the revoked certificates, uppercase hex of their encoded bytes, as <c>X509Certificate2.SerialNumber</c> spells them.</summary>
    public ImmutableArray<string> RevokedSerialNumbers { get; init; } = [];
}
