namespace Elbe.ControlPlane.Certificates;

/// <summary>
/// Certificates' private keys on disk, outside the database: <c>DATA/certificates/&lt;id&gt;.v&lt;version&gt;.key</c>,
/// the directory 0700 and each file 0600, so only the owner of the data directory can read them. A version's file
/// is written (and synced) before the database commit that names that version, and older versions are removed only
/// after it, so a crash at any point leaves the committed row with its own key.
/// </summary>
public sealed class PrivateKeyFiles(string dataDirectory)
{
    public const string DirectoryName = "certificates";

    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string Directory { get; } = Path.Combine(dataDirectory, DirectoryName);

    public string PathOf(string certificateArn, int version) => Path.Combine(Directory, $"{IdOf(certificateArn)}.v{version}.key");

    public void Write(string certificateArn, int version, string privateKeyPem)
    {
        EnsureDirectory();
        var path = PathOf(certificateArn, version);
        var temporary = path + ".tmp";
        // A leftover from an interrupted write would keep its old mode; UnixCreateMode applies only to new files.
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        // Created 0600 from the start: the key is never readable by others, not even for a moment.
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnlyFile;
        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(System.Text.Encoding.UTF8.GetBytes(privateKeyPem));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The key of <paramref name="version"/>; throws InvalidDataException when its file is gone.</summary>
    public string Read(string certificateArn, int version)
    {
        var path = PathOf(certificateArn, version);
        try
        {
            return File.ReadAllText(path);
        }
        catch (FileNotFoundException e)
        {
            throw new InvalidDataException($"The private key of certificate '{certificateArn}' (version {version}) is missing: expected '{path}'.", e);
        }
    }

    /// <summary>Removes every key file of the certificate except <paramref name="keepVersion"/>'s (all of them when null).</summary>
    public void DeleteOtherVersions(string certificateArn, int? keepVersion)
    {
        if (!System.IO.Directory.Exists(Directory)) return;
        var keep = keepVersion is { } v ? Path.GetFileName(PathOf(certificateArn, v)) : null;
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, $"{IdOf(certificateArn)}.v*.key*"))
        {
            if (Path.GetFileName(file) == keep) continue;
            try { File.Delete(file); }
            catch (IOException) { /* A leftover file holds nothing the database refers to; the next rotation retries. */ }
        }
    }

    private void EnsureDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
            return;
        }
        System.IO.Directory.CreateDirectory(Directory, OwnerOnlyDirectory);
        // An existing directory keeps its mode through CreateDirectory: tighten it in case someone loosened it.
        File.SetUnixFileMode(Directory, OwnerOnlyDirectory);
    }

    private static string IdOf(string certificateArn) =>
        CertificateArn.IdOf(certificateArn) ?? throw new ArgumentException($"'{certificateArn}' is not an ACM certificate ARN.", nameof(certificateArn));
}
