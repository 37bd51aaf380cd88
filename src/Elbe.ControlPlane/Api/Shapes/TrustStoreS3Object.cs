namespace Elbe.ControlPlane.Api.Shapes;

/// <summary>
/// Where a trust store's CA bundle or revocation list comes from. AWS reads them from S3; Elbe has no S3, so the
/// bucket and key name a local file instead: <c>&lt;bucket&gt;/&lt;key&gt;</c>, taken relative to the base
/// directory unless the bucket (or the key) is an absolute path. <c>S3ObjectVersion</c> is accepted and ignored:
/// a local file has only one version.
/// </summary>
public sealed record TrustStoreS3Object(string Bucket, string Key)
{
    /// <summary>Bundles are small; anything larger is refused rather than read into memory.</summary>
    public const long MaxBytes = 50L * 1024 * 1024;

    public string PathUnder(string baseDirectory) => Path.GetFullPath(Path.Combine(baseDirectory, Bucket, Key));

    /// <summary>The file's bytes; <paramref name="notFound"/> when there is no such readable file.</summary>
    public async Task<byte[]> ReadAsync(string baseDirectory, Func<string, ApiException> notFound, Func<ApiException> tooLarge)
    {
        var path = PathUnder(baseDirectory);
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw notFound(path);
            if (info.Length > MaxBytes) throw tooLarge();
            return await File.ReadAllBytesAsync(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw notFound(path);
        }
    }
}
