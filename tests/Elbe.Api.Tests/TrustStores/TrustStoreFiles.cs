using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Elbe.Api.Tests.TrustStores;

/// <summary>
/// CA certificates and revocation lists made on the spot, written as files in a folder of their own: the
/// folder is the "bucket" and the file name the "key" that trust store calls name.
/// </summary>
public sealed class TrustStoreFiles : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("elbe-truststore-");

    public string Bucket => _directory.FullName;

    /// <summary>A self-signed CA certificate that can sign certificates and CRLs, with its private key.</summary>
    public static X509Certificate2 NewCa(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    /// <summary>Writes the certificates as one PEM bundle and returns its key.</summary>
    public string WriteBundle(string key, params X509Certificate2[] certificates)
    {
        File.WriteAllText(Path.Combine(Bucket, key), string.Concat(certificates.Select(c => c.ExportCertificatePem() + "\n")));
        return key;
    }

    public string WriteText(string key, string text)
    {
        File.WriteAllText(Path.Combine(Bucket, key), text);
        return key;
    }

    /// <summary>Writes a CRL signed by <paramref name="issuer"/> revoking the given serial numbers (PEM unless <paramref name="der"/>).</summary>
    public string WriteCrl(string key, X509Certificate2 issuer, IEnumerable<byte[]> revokedSerials, bool der = false)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var serial in revokedSerials) builder.AddEntry(serial, DateTimeOffset.UtcNow.AddMinutes(-5));
        var crl = builder.Build(issuer, 1, DateTimeOffset.UtcNow.AddDays(7), HashAlgorithmName.SHA256);
        var path = Path.Combine(Bucket, key);
        if (der) File.WriteAllBytes(path, crl);
        else File.WriteAllText(path, PemEncoding.WriteString("X509 CRL", crl));
        return key;
    }

    public static byte[][] Serials(params byte[][] serials) => serials;

    public void Dispose()
    {
        try { _directory.Delete(recursive: true); }
        catch (IOException) { }
    }
}
