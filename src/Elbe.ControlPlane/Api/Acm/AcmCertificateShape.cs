using System.Text.Json;
using Elbe.ControlPlane.Certificates;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Api.Acm;

/// <summary>ACM's CertificateDetail and CertificateSummary for an imported certificate; timestamps are epoch seconds.</summary>
public static class AcmCertificateShape
{
    public static void WriteDetail(Utf8JsonWriter w, Certificate certificate, CertificateDetails details, IReadOnlyList<string> inUseBy, DateTimeOffset now)
    {
        w.WriteString("CertificateArn", certificate.Arn);
        w.WriteString("DomainName", details.DomainName);
        Strings(w, "SubjectAlternativeNames", details.SubjectAlternativeNames);
        w.WriteStartArray("DomainValidationOptions");
        foreach (var name in details.SubjectAlternativeNames)
        {
            w.WriteStartObject();
            w.WriteString("DomainName", name);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteString("Serial", details.Serial);
        w.WriteString("Subject", details.Subject);
        w.WriteString("Issuer", details.Issuer);
        Time(w, "CreatedAt", certificate.CreatedAt);
        Time(w, "ImportedAt", certificate.ImportedAt);
        w.WriteString("Status", details.StatusAt(now));
        Time(w, "NotBefore", details.NotBefore);
        Time(w, "NotAfter", details.NotAfter);
        w.WriteString("KeyAlgorithm", details.KeyAlgorithmWithHyphen);
        w.WriteString("SignatureAlgorithm", details.SignatureAlgorithm);
        Strings(w, "InUseBy", inUseBy);
        w.WriteString("Type", "IMPORTED");
        w.WriteStartArray("KeyUsages");
        foreach (var usage in details.KeyUsages)
        {
            w.WriteStartObject();
            w.WriteString("Name", usage);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("ExtendedKeyUsages");
        foreach (var (name, oid) in details.ExtendedKeyUsages)
        {
            w.WriteStartObject();
            w.WriteString("Name", name);
            w.WriteString("OID", oid);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteString("RenewalEligibility", "INELIGIBLE");
        w.WriteStartObject("Options");
        w.WriteString("CertificateTransparencyLoggingPreference", "DISABLED");
        w.WriteEndObject();
    }

    public static void WriteSummary(Utf8JsonWriter w, Certificate certificate, CertificateDetails details, bool inUse, DateTimeOffset now)
    {
        w.WriteString("CertificateArn", certificate.Arn);
        w.WriteString("DomainName", details.DomainName);
        Strings(w, "SubjectAlternativeNameSummaries", details.SubjectAlternativeNames);
        w.WriteBoolean("HasAdditionalSubjectAlternativeNames", false);
        w.WriteString("Status", details.StatusAt(now));
        w.WriteString("Type", "IMPORTED");
        w.WriteString("KeyAlgorithm", details.KeyAlgorithm);
        Strings(w, "KeyUsages", details.KeyUsages);
        Strings(w, "ExtendedKeyUsages", [.. details.ExtendedKeyUsages.Select(e => e.Name)]);
        w.WriteBoolean("InUse", inUse);
        w.WriteString("RenewalEligibility", "INELIGIBLE");
        Time(w, "NotBefore", details.NotBefore);
        Time(w, "NotAfter", details.NotAfter);
        Time(w, "CreatedAt", certificate.CreatedAt);
        Time(w, "ImportedAt", certificate.ImportedAt);
    }

    private static void Time(Utf8JsonWriter w, string name, DateTimeOffset value) => w.WriteNumber(name, value.ToUnixTimeMilliseconds() / 1000.0);

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values) w.WriteStringValue(value);
        w.WriteEndArray();
    }
}
