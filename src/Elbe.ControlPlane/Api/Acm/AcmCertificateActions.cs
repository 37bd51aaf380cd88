using System.Text;
using System.Text.Json;
using Elbe.ControlPlane.Certificates;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Api.Acm;

/// <summary>ImportCertificate, DescribeCertificate, ListCertificates, GetCertificate and DeleteCertificate.</summary>
public static class AcmCertificateActions
{
    // Blob limits from ACM's model.
    public const int MaxCertificateBytes = 32768;
    public const int MaxPrivateKeyBytes = 5120;
    public const int MaxChainBytes = 2097152;
    public const int MaxItemsLimit = 1000;

    private static readonly string[] Statuses = ["PENDING_VALIDATION", "ISSUED", "INACTIVE", "EXPIRED", "VALIDATION_TIMED_OUT", "REVOKED", "FAILED"];
    private static readonly string[] KeyTypes = ["RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"];

    /// <summary>Without Includes.keyTypes, ListCertificates returns only RSA_1024 and RSA_2048 certificates, as ACM does.</summary>
    private static readonly string[] DefaultKeyTypes = ["RSA_1024", "RSA_2048"];

    public static async Task<Action<Utf8JsonWriter>?> ImportCertificateAsync(AcmCall call)
    {
        var request = call.Request;
        var arn = request.OptionalArn("CertificateArn");
        var certificate = request.Blob("Certificate", MaxCertificateBytes) ?? throw AcmRequest.Missing("Certificate");
        var privateKey = request.Blob("PrivateKey", MaxPrivateKeyBytes) ?? throw AcmRequest.Missing("PrivateKey");
        var chain = request.Blob("CertificateChain", MaxChainBytes);
        var tags = request.Tags();
        var imported = await CertificateImport.ImportAsync(call.Store, call.Region, call.AccountId, certificate, privateKey, chain, arn, tags, call.Now);
        return w => w.WriteString("CertificateArn", imported);
    }

    public static Task<Action<Utf8JsonWriter>?> DescribeCertificateAsync(AcmCall call)
    {
        var arn = call.Request.Arn();
        var configuration = call.Store.Current;
        var certificate = CertificateLookup.Find(configuration, arn, call.AccountId);
        var details = CertificateDetails.Of(certificate);
        var inUseBy = CertificateLookup.InUseBy(configuration, arn);
        return Result(w =>
        {
            w.WriteStartObject("Certificate");
            AcmCertificateShape.WriteDetail(w, certificate, details, inUseBy, call.Now);
            w.WriteEndObject();
        });
    }

    public static Task<Action<Utf8JsonWriter>?> ListCertificatesAsync(AcmCall call)
    {
        var request = call.Request;
        var statuses = CheckEnum(request.Strings("CertificateStatuses"), Statuses, "certificateStatuses");
        var includes = request.Object("Includes");
        IReadOnlyList<string>? keyTypes = null, keyUsages = null, extendedKeyUsages = null;
        if (includes is { } filters)
        {
            if (filters.TryGetProperty("keyTypes", out var k) && k.ValueKind != JsonValueKind.Null)
                keyTypes = CheckEnum(AcmRequest.StringsOf("keyTypes", k), KeyTypes, "includes.keyTypes");
            if (filters.TryGetProperty("keyUsage", out var u) && u.ValueKind != JsonValueKind.Null)
                keyUsages = AcmRequest.StringsOf("keyUsage", u);
            if (filters.TryGetProperty("extendedKeyUsage", out var e) && e.ValueKind != JsonValueKind.Null)
                extendedKeyUsages = AcmRequest.StringsOf("extendedKeyUsage", e);
        }
        keyTypes ??= DefaultKeyTypes;
        var maxItems = request.Integer("MaxItems");
        if (maxItems is < 1 or > MaxItemsLimit)
            throw AcmRequest.Constraint("maxItems", maxItems.ToString(), maxItems < 1 ? "Member must have value greater than or equal to 1" : $"Member must have value less than or equal to {MaxItemsLimit}");
        var sortBy = request.String("SortBy");
        if (sortBy is not (null or "CREATED_AT")) throw AcmRequest.Constraint("sortBy", sortBy, "Member must satisfy enum value set: [CREATED_AT]");
        var sortOrder = request.String("SortOrder");
        if (sortOrder is not (null or "ASCENDING" or "DESCENDING")) throw AcmRequest.Constraint("sortOrder", sortOrder, "Member must satisfy enum value set: [ASCENDING, DESCENDING]");

        var configuration = call.Store.Current;
        IEnumerable<Certificate> ordered = configuration.Certificates;
        if (sortBy is not null || sortOrder is not null)
            ordered = sortOrder == "DESCENDING" ? ordered.OrderByDescending(c => c.CreatedAt) : ordered.OrderBy(c => c.CreatedAt);
        var matching = new List<(Certificate Certificate, CertificateDetails Details)>();
        foreach (var certificate in ordered)
        {
            var details = CertificateDetails.Of(certificate);
            if (!keyTypes.Contains(details.KeyAlgorithm)) continue;
            if (statuses is not null && !statuses.Contains(details.StatusAt(call.Now))) continue;
            if (keyUsages is not null && !keyUsages.All(details.KeyUsages.Contains)) continue;
            if (extendedKeyUsages is not null && !extendedKeyUsages.All(name => details.ExtendedKeyUsages.Any(e => e.Name == name))) continue;
            matching.Add((certificate, details));
        }

        var start = 0;
        if (request.String("NextToken") is { } token)
        {
            start = matching.FindIndex(m => m.Certificate.Arn == DecodeToken(token));
            if (start < 0) throw new AcmException("InvalidNextTokenException", "The nextToken is invalid.");
        }
        var count = Math.Min(maxItems ?? MaxItemsLimit, matching.Count - start);
        var page = matching.GetRange(start, count);
        var next = start + count < matching.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes(matching[start + count].Certificate.Arn)) : null;
        return Result(w =>
        {
            if (next is not null) w.WriteString("NextToken", next);
            w.WriteStartArray("CertificateSummaryList");
            foreach (var (certificate, details) in page)
            {
                w.WriteStartObject();
                AcmCertificateShape.WriteSummary(w, certificate, details, CertificateLookup.InUseBy(configuration, certificate.Arn).Count > 0, call.Now);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    public static Task<Action<Utf8JsonWriter>?> GetCertificateAsync(AcmCall call)
    {
        var certificate = CertificateLookup.Find(call.Store.Current, call.Request.Arn(), call.AccountId);
        return Result(w =>
        {
            w.WriteString("Certificate", certificate.CertificatePem);
            if (certificate.CertificateChainPem.Length > 0) w.WriteString("CertificateChain", certificate.CertificateChainPem);
        });
    }

    public static async Task<Action<Utf8JsonWriter>?> DeleteCertificateAsync(AcmCall call)
    {
        var arn = call.Request.Arn();
        // Checked under the store's writer lock, so a listener cannot start using it between the check and the delete.
        await call.Store.MutateAsync(configuration =>
        {
            var index = CertificateImport.IndexOf(configuration.Certificates, arn);
            if (index < 0) throw AcmException.NotFound(arn, call.AccountId);
            if (CertificateLookup.InUseBy(configuration, arn).Count > 0)
                throw new AcmException(AcmErrorCodes.ResourceInUseException, $"Certificate {arn} in account {call.AccountId} is in use.");
            return (configuration with { Certificates = configuration.Certificates.RemoveAt(index) }, true);
        });
        return null;
    }

    private static string? DecodeToken(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static IReadOnlyList<string>? CheckEnum(IReadOnlyList<string>? values, string[] allowed, string member)
    {
        if (values is null) return null;
        for (var i = 0; i < values.Count; i++)
            if (!allowed.Contains(values[i]))
                throw AcmRequest.Constraint($"{member}.{i + 1}.member", values[i], $"Member must satisfy enum value set: [{string.Join(", ", allowed)}]");
        return values;
    }

    private static Task<Action<Utf8JsonWriter>?> Result(Action<Utf8JsonWriter> write) => Task.FromResult<Action<Utf8JsonWriter>?>(write);
}
