using System.Collections.Immutable;

namespace Elbe.Model.Resources;

/// <summary>
/// A certificate imported through Elbe's ACM API (or named by ARN in a template): the leaf, its chain and its
/// private key, all PEM. Listeners name it by <see cref="Arn"/>; the data plane builds its TLS credentials from
/// this record, so re-importing onto the same ARN (a new <see cref="Version"/>) rotates it on live listeners.
/// </summary>
public sealed record Certificate
{
    /// <summary>arn:aws:acm:region:account:certificate/uuid.</summary>
    public required string Arn { get; init; }
    /// <summary>The leaf certificate, one PEM CERTIFICATE block.</summary>
    public required string CertificatePem { get; init; }
    /// <summary>Intermediate certificates, PEM, leaf-most first; may be empty.</summary>
    public string CertificateChainPem { get; init; } = "";
    /// <summary>The private key, PEM (PKCS#8, PKCS#1 RSA or SEC1 EC). Persisted in an owner-only file, never in an API answer.</summary>
    public required string PrivateKeyPem { get; init; }
    /// <summary>Bumped on every re-import, so consumers can tell a rotation from an unchanged certificate.</summary>
    public int Version { get; init; } = 1;
    public DateTimeOffset ImportedAt { get; init; } = DateTimeOffset.UnixEpoch;
    /// <summary>When the ARN was first imported; re-imports keep it (ACM's CreatedAt), while <see cref="ImportedAt"/> moves.</summary>
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UnixEpoch;
    public ImmutableArray<Tag> Tags { get; init; } = [];
}
