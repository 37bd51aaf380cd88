using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Api.Shapes;

/// <summary>
/// The <c>Location</c> that GetTrustStoreCaCertificatesBundle and GetTrustStoreRevocationContent answer. AWS
/// hands out a short-lived presigned S3 URL to its copy; Elbe writes its stored copy to a file and hands out
/// that file's <c>file://</c> URI, so the answer is always what the trust store holds now, not whatever the
/// source file has become since.
/// </summary>
public static class TrustStoreContentFile
{
    public static async Task<string> WriteAsync(string directory, TrustStore trustStore, string fileName, string content)
    {
        var folder = Path.Combine(directory, "truststores", trustStore.Id);
        Directory.CreateDirectory(folder);
        var path = Path.GetFullPath(Path.Combine(folder, fileName));
        // Written aside and moved into place, so a reader never sees half a file.
        var partial = path + ".partial";
        await File.WriteAllTextAsync(partial, content);
        File.Move(partial, path, overwrite: true);
        return new Uri(path).AbsoluteUri;
    }
}
