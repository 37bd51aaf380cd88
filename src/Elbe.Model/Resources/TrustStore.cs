using System.Collections.Immutable;

namespace Elbe.Model.Resources;

/// <summary>
/// CA certificates (and revocation lists) that a listener in mutual-TLS <c>verify</c> mode checks client
/// certificates against. The bundle is kept in the configuration itself, so the data plane and the API never
/// depend on the file it was loaded from staying where it was.
/// </summary>
public sealed record TrustStore
{
    public const string StatusActive = "ACTIVE";
    public const string StatusCreating = "CREATING";
    public const int MaxPerAccount = 20;

    public required string Arn { get; init; }
    public required string Name { get; init; }
    /// <summary>The 16-hex id that ends the ARN.</summary>
    public required string Id { get; init; }
    /// <summary>ACTIVE or CREATING. Elbe loads bundles while the call waits, so a stored trust store is ACTIVE.</summary>
    public string Status { get; init; } = StatusActive;
    /// <summary>The CA certificates as PEM text, one CERTIFICATE block each.</summary>
    public string CaCertificatesBundle { get; init; } = "";
    public int NumberOfCaCertificates { get; init; }
    public ImmutableArray<TrustStoreRevocation> Revocations { get; init; } = [];
    /// <summary>The last revocation id handed out; ids are never reused, even after a removal.</summary>
    public long LastRevocationId { get; init; }
    public DateTimeOffset CreatedTime { get; init; } = DateTimeOffset.UnixEpoch;
    public ImmutableArray<Tag> Tags { get; init; } = [];

    /// <summary>arn:aws:elasticloadbalancing:region:account:truststore/name/id.</summary>
    public static string ArnFor(string region, string account, string name, string id) =>
        $"{Identifiers.Arns.Prefix(region, account)}truststore/{name}/{id}";

    public long TotalRevokedEntries()
    {
        long total = 0;
        foreach (var revocation in Revocations) total += revocation.RevokedSerialNumbers.Length;
        return total;
    }
}
