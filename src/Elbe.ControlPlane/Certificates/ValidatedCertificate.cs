namespace Elbe.ControlPlane.Certificates;

/// <summary>
/// What <see cref="CertificateImportValidator"/> accepted, re-encoded canonically: the leaf as one PEM block, the
/// chain as PEM blocks leaf-most first (empty without one) and the key as unencrypted PKCS#8 PEM.
/// </summary>
public sealed record ValidatedCertificate(string CertificatePem, string CertificateChainPem, string PrivateKeyPem, string KeyAlgorithm);
