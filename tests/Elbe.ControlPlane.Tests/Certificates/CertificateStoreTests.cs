using Elbe.ControlPlane.Certificates;
using Elbe.ControlPlane.State;
using Elbe.ControlPlane.Tests.State;
using Elbe.Model.Resources;
using Elbe.Tests.Certificates;
using Microsoft.Data.Sqlite;

namespace Elbe.ControlPlane.Tests.Certificates;

public sealed class CertificateStoreTests : IDisposable
{
    private readonly TemporaryDataDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private SqliteConfigurationStore Open() => SqliteConfigurationStore.Open(_data.Path, "eu-west-1", "123456789012");

    private static Task<string> Import(IConfigurationStore store, TestCertificate certificate, string? arn = null, IReadOnlyList<Tag>? tags = null) =>
        CertificateImport.ImportAsync(store, "eu-west-1", "123456789012", certificate.CertificatePem, certificate.PrivateKeyPem,
            certificate.ChainPem, arn, tags, DateTimeOffset.UtcNow);

    [Fact]
    public async Task An_imported_certificate_and_its_key_survive_a_restart()
    {
        var generated = TestCertificates.IssuedThroughIntermediate();
        string arn;
        using (var store = Open())
            arn = await Import(store, generated, tags: [new Tag("env", "test")]);

        Assert.Matches("^arn:aws:acm:eu-west-1:123456789012:certificate/[0-9a-f-]{36}$", arn);
        using var reopened = Open();
        var certificate = Assert.Single(reopened.Current.Certificates);
        Assert.Equal(arn, certificate.Arn);
        Assert.Equal(1, certificate.Version);
        Assert.Equal([new Tag("env", "test")], certificate.Tags.ToArray());
        Assert.Contains("BEGIN PRIVATE KEY", certificate.PrivateKeyPem, StringComparison.Ordinal);
        using var parsed = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(certificate.CertificatePem, certificate.PrivateKeyPem);
        Assert.Equal(generated.SerialNumber, parsed.SerialNumber);
        Assert.Contains("CERTIFICATE", certificate.CertificateChainPem, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_key_is_in_an_owner_only_file_and_never_in_the_database()
    {
        var generated = TestCertificates.SelfSigned();
        string arn;
        using (var store = Open())
            arn = await Import(store, generated);

        var keys = new PrivateKeyFiles(_data.Path);
        var file = keys.PathOf(arn, 1);
        Assert.True(File.Exists(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys.Directory));

        using var connection = new SqliteConnection($"Data Source={Path.Combine(_data.Path, SqliteConfigurationStore.FileName)};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT json FROM resources WHERE kind = 'certificate'";
        var json = (string)command.ExecuteScalar()!;
        Assert.Contains(arn, json, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", json, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", File.ReadAllText(Path.Combine(_data.Path, SqliteConfigurationStore.FileName)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reimport_keeps_the_arn_bumps_the_version_and_replaces_the_key_file()
    {
        var first = TestCertificates.SelfSigned("rotate.example.com");
        var second = TestCertificates.SelfSigned("rotate.example.com", TestKeyType.EcP256);
        var keys = new PrivateKeyFiles(_data.Path);
        string arn;
        using (var store = Open())
        {
            arn = await Import(store, first, tags: [new Tag("kept", "yes")]);
            var created = store.Current.Certificates[0].CreatedAt;
            Assert.Equal(arn, await Import(store, second, arn));
            var rotated = Assert.Single(store.Current.Certificates);
            Assert.Equal(2, rotated.Version);
            Assert.Equal(created, rotated.CreatedAt);
            Assert.Equal([new Tag("kept", "yes")], rotated.Tags.ToArray());
        }
        Assert.False(File.Exists(keys.PathOf(arn, 1)));
        Assert.True(File.Exists(keys.PathOf(arn, 2)));

        using var reopened = Open();
        var certificate = Assert.Single(reopened.Current.Certificates);
        Assert.Equal(2, certificate.Version);
        using var parsed = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(certificate.CertificatePem, certificate.PrivateKeyPem);
        Assert.Equal(second.SerialNumber, parsed.SerialNumber);
    }

    [Fact]
    public async Task Reimport_onto_an_unknown_arn_is_not_found()
    {
        using var store = Open();
        var missing = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000";
        var error = await Assert.ThrowsAsync<AcmException>(() => Import(store, TestCertificates.SelfSigned(), missing));
        Assert.Equal(AcmErrorCodes.ResourceNotFoundException, error.Code);
        Assert.Equal($"Could not find certificate {missing}.", error.Message);
        Assert.Empty(store.Current.Certificates);
    }

    [Fact]
    public async Task Deleting_a_certificate_removes_its_key_file()
    {
        var keys = new PrivateKeyFiles(_data.Path);
        using var store = Open();
        var arn = await Import(store, TestCertificates.SelfSigned());
        Assert.True(File.Exists(keys.PathOf(arn, 1)));
        await store.MutateAsync(c => (c with { Certificates = [] }, 0));
        Assert.False(File.Exists(keys.PathOf(arn, 1)));
    }

    [Fact]
    public async Task A_missing_key_file_stops_the_store_from_opening_and_says_which()
    {
        string arn;
        using (var store = Open())
            arn = await Import(store, TestCertificates.SelfSigned());
        var file = new PrivateKeyFiles(_data.Path).PathOf(arn, 1);
        File.Delete(file);
        var error = Assert.Throws<InvalidDataException>(Open);
        Assert.Contains(arn, error.Message, StringComparison.Ordinal);
        Assert.Contains(file, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_commits_through_the_store_and_raises_changed()
    {
        var store = new InMemoryConfigurationStore();
        ElbeConfiguration? seen = null;
        store.Changed += c => seen = c;
        var arn = await Import(store, TestCertificates.SelfSigned());
        Assert.Equal(arn, Assert.Single(seen!.Certificates).Arn);
    }
}
