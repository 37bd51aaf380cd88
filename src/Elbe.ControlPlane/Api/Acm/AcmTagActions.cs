using System.Text.Json;
using Elbe.ControlPlane.Certificates;

namespace Elbe.ControlPlane.Api.Acm;

/// <summary>AddTagsToCertificate, RemoveTagsFromCertificate and ListTagsForCertificate.</summary>
public static class AcmTagActions
{
    public static async Task<Action<Utf8JsonWriter>?> AddTagsToCertificateAsync(AcmCall call)
    {
        var arn = call.Request.Arn();
        var tags = call.Request.Tags() ?? throw AcmRequest.Missing("Tags");
        await call.Store.MutateAsync(configuration =>
        {
            var index = CertificateImport.IndexOf(configuration.Certificates, arn);
            if (index < 0) throw AcmException.NotFound(arn, call.AccountId);
            var certificate = configuration.Certificates[index];
            var tagged = certificate with { Tags = AcmTags.Merge(certificate.Tags, tags, arn) };
            return (configuration with { Certificates = configuration.Certificates.SetItem(index, tagged) }, true);
        });
        return null;
    }

    public static async Task<Action<Utf8JsonWriter>?> RemoveTagsFromCertificateAsync(AcmCall call)
    {
        var arn = call.Request.Arn();
        var tags = call.Request.TagsWithOptionalValues() ?? throw AcmRequest.Missing("Tags");
        await call.Store.MutateAsync(configuration =>
        {
            var index = CertificateImport.IndexOf(configuration.Certificates, arn);
            if (index < 0) throw AcmException.NotFound(arn, call.AccountId);
            var certificate = configuration.Certificates[index];
            var untagged = certificate with { Tags = AcmTags.Remove(certificate.Tags, tags) };
            return (configuration with { Certificates = configuration.Certificates.SetItem(index, untagged) }, true);
        });
        return null;
    }

    public static Task<Action<Utf8JsonWriter>?> ListTagsForCertificateAsync(AcmCall call)
    {
        var certificate = CertificateLookup.Find(call.Store.Current, call.Request.Arn(), call.AccountId);
        return Task.FromResult<Action<Utf8JsonWriter>?>(w =>
        {
            if (certificate.Tags.IsEmpty) return;
            w.WriteStartArray("Tags");
            foreach (var tag in certificate.Tags)
            {
                w.WriteStartObject();
                w.WriteString("Key", tag.Key);
                w.WriteString("Value", tag.Value);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }
}
