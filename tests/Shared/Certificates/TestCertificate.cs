using System.Security.Cryptography.X509Certificates;

namespace Elbe.Tests.Certificates;

/// <summary>
/// A generated certificate with its key: as PEM text (what ImportCertificate and openssl take) and as an
/// X509Certificate2 with its private key (what .NET clients and Kestrel backends present). The chain may be empty.
/// </summary>
public sealed record TestCertificate(X509Certificate2 Certificate, string CertificatePem, string PrivateKeyPem, string ChainPem = "")
{
    /// <summary>Upper-case hex without separators, as X509Certificate2 writes it.</summary>
    public string SerialNumber => Certificate.SerialNumber;

    public string CommonName => Certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);

    /// <summary>Writes certificate (with chain) and key files for openssl and curl; returns their paths.</summary>
    public (string Certificate, string Key) WriteFiles(string directory, string name)
    {
        var certificate = Path.Combine(directory, name + ".crt");
        var key = Path.Combine(directory, name + ".key");
        File.WriteAllText(certificate, CertificatePem + ChainPem);
        File.WriteAllText(key, PrivateKeyPem);
        return (certificate, key);
    }
}
