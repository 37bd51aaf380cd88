using Elbe.Tests.Certificates;

namespace Elbe.Api.Tests.Infrastructure;

/// <summary>Listeners may name only imported certificates: tests that need an ARN import a fresh one first.</summary>
public static class TestCertificateImports
{
    /// <summary>Imports a new self-signed ECDSA certificate (quick to make) through the server's C# entry point and returns its ARN.</summary>
    public static Task<string> ImportTestCertificateAsync(this ApiHarness harness, string domain = "www.example.com")
    {
        var generated = TestCertificates.SelfSigned(domain, TestKeyType.EcP256);
        return harness.Server.ImportCertificateAsync(generated.CertificatePem, generated.PrivateKeyPem);
    }
}
