using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Certificates;

/// <summary>
/// What ACM reports about an imported certificate, read from its PEM: names, serial, validity, key and signature
/// algorithms, key usages. Computed when asked (DescribeCertificate, ListCertificates), never stored, so it can
/// never disagree with the certificate itself.
/// </summary>
public sealed record CertificateDetails(
    string DomainName,
    IReadOnlyList<string> SubjectAlternativeNames,
    string Serial,
    string Subject,
    string Issuer,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string KeyAlgorithm,
    string SignatureAlgorithm,
    IReadOnlyList<string> KeyUsages,
    IReadOnlyList<(string Name, string Oid)> ExtendedKeyUsages)
{
    public const string Issued = "ISSUED";
    public const string Expired = "EXPIRED";

    /// <summary>ISSUED until NotAfter passes, then EXPIRED, as ACM reports imported certificates.</summary>
    public string StatusAt(DateTimeOffset now) => now > NotAfter ? Expired : Issued;

    /// <summary>ACM writes key algorithms with a hyphen in certificate details (RSA-2048) and an underscore in filters and summaries (RSA_2048).</summary>
    public string KeyAlgorithmWithHyphen => KeyAlgorithm.Replace('_', '-');

    public static CertificateDetails Of(Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var x509 = X509Certificate2.CreateFromPem(certificate.CertificatePem);
        var dnsNames = new List<string>();
        var keyUsages = new List<string>();
        var extendedKeyUsages = new List<(string, string)>();
        foreach (var extension in x509.Extensions)
        {
            switch (extension)
            {
                case X509SubjectAlternativeNameExtension names:
                    dnsNames.AddRange(names.EnumerateDnsNames());
                    break;
                case X509KeyUsageExtension usage:
                    keyUsages.AddRange(KeyUsageNames(usage.KeyUsages));
                    break;
                case X509EnhancedKeyUsageExtension enhanced:
                    foreach (var oid in enhanced.EnhancedKeyUsages)
                        extendedKeyUsages.Add((ExtendedKeyUsageName(oid.Value ?? ""), oid.Value ?? ""));
                    break;
            }
        }
        var commonName = x509.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        var domain = !string.IsNullOrEmpty(commonName) ? commonName : dnsNames.FirstOrDefault() ?? "";
        var alternativeNames = dnsNames.Count > 0 ? dnsNames : [domain];
        var issuerOrganization = Attribute(x509.IssuerName, "2.5.4.10");
        return new CertificateDetails(
            domain,
            alternativeNames,
            string.Join(':', Convert.FromHexString(x509.SerialNumber).Select(b => b.ToString("x2", CultureInfo.InvariantCulture))),
            x509.Subject,
            issuerOrganization ?? x509.GetNameInfo(X509NameType.SimpleName, forIssuer: true),
            new DateTimeOffset(x509.NotBefore.ToUniversalTime()),
            new DateTimeOffset(x509.NotAfter.ToUniversalTime()),
            KeyAlgorithmOf(x509),
            SignatureAlgorithmName(x509.SignatureAlgorithm.Value ?? ""),
            keyUsages,
            extendedKeyUsages);
    }

    private static string KeyAlgorithmOf(X509Certificate2 x509)
    {
        using (var rsa = x509.GetRSAPublicKey())
            if (rsa is not null) return $"RSA_{rsa.KeySize}";
        using var ec = x509.GetECDsaPublicKey();
        return ec?.ExportParameters(false).Curve.Oid.Value switch
        {
            "1.2.840.10045.3.1.7" => "EC_prime256v1",
            "1.3.132.0.34" => "EC_secp384r1",
            "1.3.132.0.35" => "EC_secp521r1",
            _ => "",
        };
    }

    private static string SignatureAlgorithmName(string oid) => oid switch
    {
        "1.2.840.113549.1.1.5" => "SHA1WITHRSA",
        "1.2.840.113549.1.1.11" => "SHA256WITHRSA",
        "1.2.840.113549.1.1.12" => "SHA384WITHRSA",
        "1.2.840.113549.1.1.13" => "SHA512WITHRSA",
        "1.2.840.113549.1.1.10" => "SHA256WITHRSAANDMGF1",
        "1.2.840.10045.4.3.2" => "SHA256WITHECDSA",
        "1.2.840.10045.4.3.3" => "SHA384WITHECDSA",
        "1.2.840.10045.4.3.4" => "SHA512WITHECDSA",
        _ => new Oid(oid).FriendlyName?.ToUpperInvariant() ?? oid,
    };

    private static IEnumerable<string> KeyUsageNames(X509KeyUsageFlags flags)
    {
        if (flags.HasFlag(X509KeyUsageFlags.DigitalSignature)) yield return "DIGITAL_SIGNATURE";
        if (flags.HasFlag(X509KeyUsageFlags.NonRepudiation)) yield return "NON_REPUDIATION";
        if (flags.HasFlag(X509KeyUsageFlags.KeyEncipherment)) yield return "KEY_ENCIPHERMENT";
        if (flags.HasFlag(X509KeyUsageFlags.DataEncipherment)) yield return "DATA_ENCIPHERMENT";
        if (flags.HasFlag(X509KeyUsageFlags.KeyAgreement)) yield return "KEY_AGREEMENT";
        if (flags.HasFlag(X509KeyUsageFlags.KeyCertSign)) yield return "CERTIFICATE_SIGNING";
        if (flags.HasFlag(X509KeyUsageFlags.CrlSign)) yield return "CRL_SIGNING";
        if (flags.HasFlag(X509KeyUsageFlags.EncipherOnly)) yield return "ENCIPHER_ONLY";
        if (flags.HasFlag(X509KeyUsageFlags.DecipherOnly)) yield return "DECIPHER_ONLY";
    }

    private static string ExtendedKeyUsageName(string oid) => oid switch
    {
        "1.3.6.1.5.5.7.3.1" => "TLS_WEB_SERVER_AUTHENTICATION",
        "1.3.6.1.5.5.7.3.2" => "TLS_WEB_CLIENT_AUTHENTICATION",
        "1.3.6.1.5.5.7.3.3" => "CODE_SIGNING",
        "1.3.6.1.5.5.7.3.4" => "EMAIL_PROTECTION",
        "1.3.6.1.5.5.7.3.8" => "TIME_STAMPING",
        "1.3.6.1.5.5.7.3.9" => "OCSP_SIGNING",
        "1.3.6.1.5.5.7.3.5" => "IPSEC_END_SYSTEM",
        "1.3.6.1.5.5.7.3.6" => "IPSEC_TUNNEL",
        "1.3.6.1.5.5.7.3.7" => "IPSEC_USER",
        "2.5.29.37.0" => "ANY",
        _ => "CUSTOM",
    };

    private static string? Attribute(X500DistinguishedName name, string oid)
    {
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames())
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == oid) return rdn.GetSingleElementValue();
        return null;
    }
}
