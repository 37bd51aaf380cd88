using Elbe.Tests.Certificates;

namespace Elbe.Api.Tests.Certificates;

/// <summary>A certificate's PEM parts written to a temporary directory, for the CLI's fileb:// arguments; removed on dispose.</summary>
internal sealed class PemFiles : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("elbe-acm-");
    private int _count;

    public (string Certificate, string PrivateKey, string Chain) Write(TestCertificate certificate) =>
        (Write(certificate.CertificatePem), Write(certificate.PrivateKeyPem), Write(certificate.ChainPem));

    /// <summary>Writes <paramref name="text"/> to a new file and returns its fileb:// argument.</summary>
    public string Write(string text)
    {
        var path = Path.Combine(_directory.FullName, $"part{Interlocked.Increment(ref _count)}.pem");
        File.WriteAllText(path, text);
        return "fileb://" + path;
    }

    public void Dispose()
    {
        try { _directory.Delete(recursive: true); }
        catch (IOException) { }
    }
}
