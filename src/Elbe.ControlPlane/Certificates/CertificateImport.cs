using System.Collections.Immutable;
using Elbe.ControlPlane.State;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Certificates;

/// <summary>
/// ImportCertificate's effect on the store, shared by the ACM API and <c>ElbeServer.ImportCertificateAsync</c>:
/// validates, then commits a new certificate, or a new version of an existing one when an ARN is given (same ARN,
/// Version + 1, tags and creation time kept), so the data plane receives it like any other change.
/// </summary>
public static class CertificateImport
{
    /// <summary>ACM's default quota of imported certificates per account and region.</summary>
    public const int MaxCertificates = 2500;

    public static Task<string> ImportAsync(IConfigurationStore store, string region, string accountId, string certificatePem, string privateKeyPem,
        string? certificateChainPem, string? certificateArn, IReadOnlyList<Tag>? tags, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var validated = CertificateImportValidator.Validate(certificatePem, privateKeyPem, certificateChainPem, now);
        if (certificateArn is not null && tags is { Count: > 0 })
            throw AcmException.Validation("Tags cannot be applied when reimporting a certificate.");
        // Seconds are all ACM reports (epoch seconds), and a whole second survives the store's round trip exactly.
        var at = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        return store.MutateAsync(config =>
        {
            if (certificateArn is null)
            {
                if (config.Certificates.Length >= MaxCertificates)
                    throw new AcmException(AcmErrorCodes.LimitExceededException, "You have reached the maximum number of certificates. Delete certificates that are not in use, or contact AWS Support to request an increase.");
                var created = new Certificate
                {
                    Arn = CertificateArn.New(region, accountId),
                    CertificatePem = validated.CertificatePem,
                    CertificateChainPem = validated.CertificateChainPem,
                    PrivateKeyPem = validated.PrivateKeyPem,
                    ImportedAt = at,
                    CreatedAt = at,
                    Tags = tags is null ? [] : [.. tags],
                };
                return (config with { Certificates = config.Certificates.Add(created) }, created.Arn);
            }
            var index = IndexOf(config.Certificates, certificateArn);
            if (index < 0) throw AcmException.NotFound(certificateArn);
            var existing = config.Certificates[index];
            var rotated = existing with
            {
                CertificatePem = validated.CertificatePem,
                CertificateChainPem = validated.CertificateChainPem,
                PrivateKeyPem = validated.PrivateKeyPem,
                Version = existing.Version + 1,
                ImportedAt = at,
            };
            return (config with { Certificates = config.Certificates.SetItem(index, rotated) }, existing.Arn);
        }, cancellationToken);
    }

    public static int IndexOf(ImmutableArray<Certificate> certificates, string arn)
    {
        for (var i = 0; i < certificates.Length; i++)
            if (certificates[i].Arn == arn) return i;
        return -1;
    }
}
