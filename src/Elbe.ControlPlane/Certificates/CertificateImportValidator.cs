using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Elbe.ControlPlane.Certificates;

/// <summary>
/// ACM's checks on ImportCertificate: one PEM X.509 v3 certificate, valid now; an optional chain of PEM
/// certificates; an unencrypted RSA (1024-4096 bits) or ECDSA (P-256, P-384, P-521) private key in PEM (PKCS#8,
/// PKCS#1 or SEC1) that belongs to the certificate. Refusals are ValidationExceptions with ACM's wording.
/// Pure: no store, no clock but the one given.
/// </summary>
public static class CertificateImportValidator
{
    public const string MalformedCertificate = "The certificate is not PEM-encoded or is not valid.";
    public const string MoreThanOneCertificate = "The certificate field contains more than one certificate. You can specify only one certificate in this field.";
    public const string MalformedChain = "The certificate chain is not PEM-encoded or is not valid.";
    public const string MalformedPrivateKey = "The private key is not PEM-encoded or is not valid.";
    public const string UnsupportedPrivateKey = "The private key is not supported.";
    public const string KeyMismatch = "The private key does not match the certificate.";
    public const string Expired = "The certificate has expired, is not valid.";
    public const string NotYetValid = "The certificate is not in effect yet, is not valid.";

    private const string CertificateLabel = "CERTIFICATE";

    public static ValidatedCertificate Validate(string certificatePem, string privateKeyPem, string? certificateChainPem, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificatePem);
        ArgumentNullException.ThrowIfNull(privateKeyPem);
        var leafDer = ReadCertificates(certificatePem, MalformedCertificate) switch
        {
            [var one] => one,
            [] => throw AcmException.Validation(MalformedCertificate),
            _ => throw AcmException.Validation(MoreThanOneCertificate),
        };
        using var leaf = Load(leafDer, MalformedCertificate);
        if (leaf.Version != 3) throw AcmException.Validation(MalformedCertificate);

        var chain = new StringBuilder();
        if (!string.IsNullOrWhiteSpace(certificateChainPem))
        {
            var blocks = ReadCertificates(certificateChainPem, MalformedChain);
            if (blocks.Count == 0) throw AcmException.Validation(MalformedChain);
            foreach (var der in blocks)
            {
                using var _ = Load(der, MalformedChain);
                chain.Append(PemEncoding.WriteString(CertificateLabel, der)).Append('\n');
            }
        }

        var (keyPem, keyAlgorithm, publicKeyInfo) = ReadPrivateKey(privateKeyPem);
        if (!leaf.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(publicKeyInfo))
            throw AcmException.Validation(KeyMismatch);

        if (now < leaf.NotBefore.ToUniversalTime()) throw AcmException.Validation(NotYetValid);
        if (now > leaf.NotAfter.ToUniversalTime()) throw AcmException.Validation(Expired);

        return new ValidatedCertificate(PemEncoding.WriteString(CertificateLabel, leafDer) + "\n", chain.ToString(), keyPem, keyAlgorithm);
    }

    /// <summary>The DER of every PEM block; anything but CERTIFICATE blocks (and whitespace around them) is refused.</summary>
    private static List<byte[]> ReadCertificates(string pem, string malformed)
    {
        var blocks = new List<byte[]>();
        var rest = pem.AsSpan();
        while (!rest.IsWhiteSpace())
        {
            if (!PemEncoding.TryFind(rest, out var fields)) throw AcmException.Validation(malformed);
            if (!rest[..fields.Location.Start].IsWhiteSpace() || !rest[fields.Label].SequenceEqual(CertificateLabel))
                throw AcmException.Validation(malformed);
            try
            {
                blocks.Add(Convert.FromBase64String(rest[fields.Base64Data].ToString()));
            }
            catch (FormatException)
            {
                throw AcmException.Validation(malformed);
            }
            rest = rest[fields.Location.End..];
        }
        return blocks;
    }

    private static X509Certificate2 Load(byte[] der, string malformed)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            throw AcmException.Validation(malformed);
        }
    }

    private static (string Pkcs8Pem, string Algorithm, byte[] PublicKeyInfo) ReadPrivateKey(string pem)
    {
        if (!PemEncoding.TryFind(pem, out var fields) || !pem.AsSpan()[fields.Location.End..].IsWhiteSpace() || !pem.AsSpan()[..fields.Location.Start].IsWhiteSpace())
            throw AcmException.Validation(MalformedPrivateKey);
        var label = pem[fields.Label];
        byte[] der;
        try
        {
            der = Convert.FromBase64String(pem[fields.Base64Data]);
        }
        catch (FormatException)
        {
            throw AcmException.Validation(MalformedPrivateKey);
        }
        return label switch
        {
            "RSA PRIVATE KEY" => Rsa(key => key.ImportRSAPrivateKey(der, out _)),
            "EC PRIVATE KEY" => Ec(key => key.ImportECPrivateKey(der, out _)),
            "PRIVATE KEY" => Pkcs8(der),
            // Encrypted keys, DSA, Ed25519 and the like.
            "ENCRYPTED PRIVATE KEY" or "DSA PRIVATE KEY" => throw AcmException.Validation(UnsupportedPrivateKey),
            _ => throw AcmException.Validation(MalformedPrivateKey),
        };
    }

    private static (string, string, byte[]) Pkcs8(byte[] der)
    {
        // PrivateKeyInfo ::= SEQUENCE { version, AlgorithmIdentifier { algorithm OID, ... }, privateKey, ... }:
        // the OID tells an unsupported algorithm (Ed25519, DSA) from bytes that are no key at all.
        string algorithm;
        try
        {
            var info = new AsnReader(der, AsnEncodingRules.BER).ReadSequence();
            info.ReadInteger();
            algorithm = info.ReadSequence().ReadObjectIdentifier();
        }
        catch (AsnContentException)
        {
            throw AcmException.Validation(MalformedPrivateKey);
        }
        return algorithm switch
        {
            "1.2.840.113549.1.1.1" => Rsa(key => key.ImportPkcs8PrivateKey(der, out _)),
            "1.2.840.10045.2.1" => Ec(key => key.ImportPkcs8PrivateKey(der, out _)),
            _ => throw AcmException.Validation(UnsupportedPrivateKey),
        };
    }

    private static (string, string, byte[]) Rsa(Action<RSA> import)
    {
        using var key = RSA.Create();
        try
        {
            import(key);
        }
        catch (CryptographicException)
        {
            throw AcmException.Validation(MalformedPrivateKey);
        }
        if (key.KeySize is not (1024 or 2048 or 3072 or 4096)) throw AcmException.Validation(UnsupportedPrivateKey);
        return (key.ExportPkcs8PrivateKeyPem() + "\n", $"RSA_{key.KeySize}", key.ExportSubjectPublicKeyInfo());
    }

    private static (string, string, byte[]) Ec(Action<ECDsa> import)
    {
        using var key = ECDsa.Create();
        try
        {
            import(key);
        }
        catch (CryptographicException)
        {
            throw AcmException.Validation(MalformedPrivateKey);
        }
        var curve = key.ExportParameters(false).Curve;
        var name = curve.IsNamed ? curve.Oid.Value switch
        {
            "1.2.840.10045.3.1.7" => "EC_prime256v1",
            "1.3.132.0.34" => "EC_secp384r1",
            "1.3.132.0.35" => "EC_secp521r1",
            _ => null,
        } : null;
        if (name is null) throw AcmException.Validation(UnsupportedPrivateKey);
        return (key.ExportPkcs8PrivateKeyPem() + "\n", name, key.ExportSubjectPublicKeyInfo());
    }
}
