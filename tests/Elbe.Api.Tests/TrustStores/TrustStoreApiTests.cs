using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Elbe.Api.Tests.Infrastructure;
using static Elbe.Api.Tests.LoadBalancers.LoadBalancerCalls;

namespace Elbe.Api.Tests.TrustStores;

/// <summary>
/// Trust stores over signed HTTP and the AWS CLI: CA bundles and CRLs made by the test and named by bucket
/// (a folder) and key (a file in it), revocations, associations with mutual-TLS listeners, persistence.
/// </summary>
public sealed class TrustStoreApiTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>, IDisposable
{

    private readonly TrustStoreFiles _files = new();

    private SignedApiClient Client => server.Client;

    public void Dispose() => _files.Dispose();

    private static Task<ApiResponse> CreateAsync(SignedApiClient client, string name, string bucket, string key, Action<ApiRequestParameters>? more = null)
    {
        var p = new ApiRequestParameters().Add("Name", name).Add("CaCertificatesBundleS3Bucket", bucket).Add("CaCertificatesBundleS3Key", key);
        more?.Invoke(p);
        return client.CallAsync("CreateTrustStore", p);
    }

    private async Task<string> CreateArnAsync(string name, params X509Certificate2[] cas) =>
        (await CreateAsync(Client, name, _files.Bucket, _files.WriteBundle($"{name}.pem", cas))).AssertSuccess("CreateTrustStore").Value("TrustStoreArn")!;

    private Task<ApiResponse> CallAsync(string action, string trustStoreArn, Action<ApiRequestParameters>? more = null)
    {
        var p = new ApiRequestParameters().Add("TrustStoreArn", trustStoreArn);
        more?.Invoke(p);
        return Client.CallAsync(action, p);
    }

    private static Action<ApiRequestParameters> Revocation(string bucket, string key) =>
        p => p.StructList("RevocationContents", c => c.Add("S3Bucket", bucket).Add("S3Key", key).Add("RevocationType", "CRL"));

    private static string LocalPath(string location)
    {
        Assert.StartsWith("file://", location);
        return new Uri(location).LocalPath;
    }

    [Fact]
    public async Task A_trust_store_goes_through_its_whole_life()
    {
        var name = UniqueName.Next("ts");
        var caA = TrustStoreFiles.NewCa("Elbe Test CA A");
        var caB = TrustStoreFiles.NewCa("Elbe Test CA B");

        var created = (await CreateAsync(Client, name, _files.Bucket, _files.WriteBundle("ab.pem", caA, caB))).AssertSuccess("CreateTrustStore");
        var store = Assert.Single(created.Members("TrustStores"));
        var arn = ApiResponse.Child(store, "TrustStoreArn")!;
        Assert.Matches($@"^arn:aws:elasticloadbalancing:us-east-1:\d{{12}}:truststore/{Regex.Escape(name)}/[0-9a-f]{{16}}$", arn);
        Assert.Equal(name, ApiResponse.Child(store, "Name"));
        Assert.Equal("ACTIVE", ApiResponse.Child(store, "Status"));
        Assert.Equal("2", ApiResponse.Child(store, "NumberOfCaCertificates"));
        Assert.Equal("0", ApiResponse.Child(store, "TotalRevokedEntries"));

        var byName = (await Client.CallAsync("DescribeTrustStores", new ApiRequestParameters().List("Names", name))).AssertSuccess("DescribeTrustStores");
        Assert.Equal(store.ToString(), Assert.Single(byName.Members("TrustStores")).ToString());
        var byArn = (await Client.CallAsync("DescribeTrustStores", new ApiRequestParameters().List("TrustStoreArns", arn))).AssertSuccess();
        Assert.Equal(store.ToString(), Assert.Single(byArn.Members("TrustStores")).ToString());

        var modified = (await CallAsync("ModifyTrustStore", arn, p => p
            .Add("CaCertificatesBundleS3Bucket", _files.Bucket).Add("CaCertificatesBundleS3Key", _files.WriteBundle("a.pem", caA))))
            .AssertSuccess("ModifyTrustStore");
        Assert.Equal("1", modified.Value("NumberOfCaCertificates"));

        var bundle = (await CallAsync("GetTrustStoreCaCertificatesBundle", arn)).AssertSuccess("GetTrustStoreCaCertificatesBundle");
        var downloaded = X509CertificateLoader.LoadCertificate(
            new X509Certificate2Collection().Let(c => c.ImportFromPemFile(LocalPath(bundle.Value("Location")!)))[0].RawData);
        Assert.Equal(caA.Thumbprint, downloaded.Thumbprint);

        (await CallAsync("DescribeTrustStoreAssociations", arn)).AssertSuccess("DescribeTrustStoreAssociations").Members("TrustStoreAssociations")
            .Let(Assert.Empty);

        (await CallAsync("DeleteTrustStore", arn)).AssertSuccess("DeleteTrustStore");
        (await Client.CallAsync("DescribeTrustStores", new ApiRequestParameters().List("TrustStoreArns", arn))).AssertError("TrustStoreNotFound");
        (await CallAsync("DeleteTrustStore", arn)).AssertError("TrustStoreNotFound");
    }

    [Fact]
    public async Task Revocation_lists_are_added_described_downloaded_and_removed()
    {
        var ca = TrustStoreFiles.NewCa("Elbe Revoking CA");
        var arn = await CreateArnAsync(UniqueName.Next("tsr"), ca);
        var pem = _files.WriteCrl("three.crl", ca, TrustStoreFiles.Serials([0x01], [0x7f, 0x22], [0x00, 0x80, 0x01]));
        var der = _files.WriteCrl("one.der", ca, TrustStoreFiles.Serials([0x05]), der: true);

        var added = (await CallAsync("AddTrustStoreRevocations", arn, p => p.StructList("RevocationContents",
                c => c.Add("S3Bucket", _files.Bucket).Add("S3Key", pem).Add("RevocationType", "CRL"),
                c => c.Add("S3Bucket", _files.Bucket).Add("S3Key", der))))
            .AssertSuccess("AddTrustStoreRevocations");
        var revocations = added.Members("TrustStoreRevocations");
        Assert.Equal(["1", "2"], revocations.Select(r => ApiResponse.Child(r, "RevocationId")));
        Assert.Equal(["3", "1"], revocations.Select(r => ApiResponse.Child(r, "NumberOfRevokedEntries")));
        Assert.All(revocations, r => Assert.Equal(arn, ApiResponse.Child(r, "TrustStoreArn")));
        Assert.All(revocations, r => Assert.Equal("CRL", ApiResponse.Child(r, "RevocationType")));

        var store = (await Client.CallAsync("DescribeTrustStores", new ApiRequestParameters().List("TrustStoreArns", arn))).AssertSuccess();
        Assert.Equal("4", store.Value("TotalRevokedEntries"));

        var described = (await CallAsync("DescribeTrustStoreRevocations", arn)).AssertSuccess("DescribeTrustStoreRevocations");
        Assert.Equal(revocations.Select(r => r.ToString()), described.Members("TrustStoreRevocations").Select(r => r.ToString()));
        var onlySecond = (await CallAsync("DescribeTrustStoreRevocations", arn, p => p.List("RevocationIds", "2"))).AssertSuccess();
        Assert.Equal("2", Assert.Single(onlySecond.Members("TrustStoreRevocations")).Let(r => ApiResponse.Child(r, "RevocationId")));
        var paged = (await CallAsync("DescribeTrustStoreRevocations", arn, p => p.Add("PageSize", 1))).AssertSuccess();
        Assert.Single(paged.Members("TrustStoreRevocations"));
        Assert.NotNull(paged.Value("NextMarker"));

        var content = (await CallAsync("GetTrustStoreRevocationContent", arn, p => p.Add("RevocationId", "1"))).AssertSuccess("GetTrustStoreRevocationContent");
        Assert.StartsWith("-----BEGIN X509 CRL-----", File.ReadAllText(LocalPath(content.Value("Location")!)));
        (await CallAsync("GetTrustStoreRevocationContent", arn, p => p.Add("RevocationId", "9"))).AssertError("RevocationIdNotFound");

        (await CallAsync("RemoveTrustStoreRevocations", arn, p => p.List("RevocationIds", "1"))).AssertSuccess("RemoveTrustStoreRevocations");
        (await CallAsync("RemoveTrustStoreRevocations", arn, p => p.List("RevocationIds", "1"))).AssertError("RevocationIdNotFound");
        (await CallAsync("DescribeTrustStoreRevocations", arn, p => p.List("RevocationIds", "1"))).AssertError("RevocationIdNotFound");
        var after = (await Client.CallAsync("DescribeTrustStores", new ApiRequestParameters().List("TrustStoreArns", arn))).AssertSuccess();
        Assert.Equal("1", after.Value("TotalRevokedEntries"));

        // Ids are never reused after a removal.
        var again = (await CallAsync("AddTrustStoreRevocations", arn, Revocation(_files.Bucket, pem))).AssertSuccess();
        Assert.Equal("3", again.Value("RevocationId"));
    }

    [Fact]
    public async Task Bad_bundles_names_and_revocation_files_are_refused()
    {
        var ca = TrustStoreFiles.NewCa("Elbe Strict CA");
        var good = _files.WriteBundle("good.pem", ca);

        (await CreateAsync(Client, UniqueName.Next("tsx"), _files.Bucket, "missing.pem")).AssertError("CaCertificatesBundleNotFound");
        (await CreateAsync(Client, UniqueName.Next("tsx"), _files.Bucket, _files.WriteText("junk.pem", "not a certificate"))).AssertError("InvalidCaCertificatesBundle");
        (await CreateAsync(Client, UniqueName.Next("tsx"), _files.Bucket,
            _files.WriteText("broken.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))).AssertError("InvalidCaCertificatesBundle");
        (await CreateAsync(Client, "bad_name", _files.Bucket, good)).AssertError("ValidationError");
        (await CreateAsync(Client, "-dash", _files.Bucket, good)).AssertError("ValidationError");
        (await CreateAsync(Client, new string('a', 33), _files.Bucket, good)).AssertError("ValidationError");
        (await Client.CallAsync("CreateTrustStore", new ApiRequestParameters().Add("Name", UniqueName.Next("tsx")))).AssertError("ValidationError");

        var name = UniqueName.Next("tsdup");
        var arn = (await CreateAsync(Client, name, _files.Bucket, good)).AssertSuccess().Value("TrustStoreArn")!;
        (await CreateAsync(Client, name, _files.Bucket, good)).AssertError("DuplicateTrustStoreName");
        (await CreateAsync(Client, UniqueName.Next("tsx"), _files.Bucket, good, p => p.Tags(("k", "1"), ("k", "2")))).AssertError("DuplicateTagKeys");

        var stranger = TrustStoreFiles.NewCa("Someone Else's CA");
        (await CallAsync("AddTrustStoreRevocations", arn, Revocation(_files.Bucket, _files.WriteCrl("other.crl", stranger, [[0x01]]))))
            .AssertError("InvalidRevocationContent");
        (await CallAsync("AddTrustStoreRevocations", arn, Revocation(_files.Bucket, _files.WriteText("junk.crl", "garbage"))))
            .AssertError("InvalidRevocationContent");
        (await CallAsync("AddTrustStoreRevocations", arn, Revocation(_files.Bucket, "missing.crl"))).AssertError("RevocationContentNotFound");
        (await CallAsync("ModifyTrustStore", arn, p => p.Add("CaCertificatesBundleS3Bucket", _files.Bucket).Add("CaCertificatesBundleS3Key", "missing.pem")))
            .AssertError("CaCertificatesBundleNotFound");

        var unknown = arn[..^16] + "0000000000000000";
        foreach (var action in new[] { "DeleteTrustStore", "DescribeTrustStoreRevocations", "DescribeTrustStoreAssociations", "GetTrustStoreCaCertificatesBundle" })
            (await CallAsync(action, unknown)).AssertError("TrustStoreNotFound");
        (await CallAsync("AddTrustStoreRevocations", unknown, Revocation(_files.Bucket, "missing.crl"))).AssertError("TrustStoreNotFound");
        (await Client.CallAsync("DescribeTrustStores", new ApiRequestParameters().List("Names", "no-such-store"))).AssertError("TrustStoreNotFound");
    }

    [Fact]
    public async Task A_trust_store_used_by_a_listener_is_associated_and_cannot_be_deleted()
    {
        var arn = await CreateArnAsync(UniqueName.Next("tsuse"), TrustStoreFiles.NewCa("Elbe mTLS CA"));
        var lb = await LoadBalancers.LoadBalancerCalls.CreateArnAsync(Client, UniqueName.Next("tslb"));
        var certificateArn = await server.Harness.ImportTestCertificateAsync();
        var listener = (await CreateListenerAsync(Client, lb, "HTTPS", 443, p =>
        {
            FixedResponse(p);
            p.StructList("Certificates", c => c.Add("CertificateArn", certificateArn));
            p.Struct("MutualAuthentication", m => m.Add("Mode", "verify").Add("TrustStoreArn", arn));
        })).AssertSuccess("CreateListener").Value("ListenerArn")!;

        var associations = (await CallAsync("DescribeTrustStoreAssociations", arn)).AssertSuccess();
        Assert.Equal([lb], associations.Members("TrustStoreAssociations").Select(a => ApiResponse.Child(a, "ResourceArn")));

        (await CallAsync("DeleteTrustStore", arn)).AssertError("TrustStoreInUse");
        (await CallAsync("DeleteSharedTrustStoreAssociation", arn, p => p.Add("ResourceArn", lb))).AssertError("DeleteAssociationSameAccount");
        var otherAccount = Regex.Replace(lb, @":\d{12}:", ":999999999999:");
        (await CallAsync("DeleteSharedTrustStoreAssociation", arn, p => p.Add("ResourceArn", otherAccount))).AssertError("AssociationNotFound");

        (await Client.CallAsync("DeleteListener", new ApiRequestParameters().Add("ListenerArn", listener))).AssertSuccess();
        (await CallAsync("DeleteTrustStore", arn)).AssertSuccess();
    }

    /// <summary>
    /// The AWS CLI the tests run (Debian's v2.9) predates trust stores, so it cannot name their calls; it can still
    /// tag them, since tags take any resource ARN.
    /// </summary>
    [Fact]
    public async Task The_cli_tags_a_trust_store()
    {
        var arn = await CreateArnAsync(UniqueName.Next("tscli"), TrustStoreFiles.NewCa("Elbe CLI CA"));

        (await server.Cli.RunAsync("elbv2", "add-tags", "--resource-arns", arn, "--tags", "Key=env,Value=test")).AssertSuccess();
        var tags = (await server.Cli.RunAsync("elbv2", "describe-tags", "--resource-arns", arn)).AssertSuccess().Json;
        var description = tags.GetProperty("TagDescriptions")[0];
        Assert.Equal(arn, description.GetProperty("ResourceArn").GetString());
        Assert.Equal("env", description.GetProperty("Tags")[0].GetProperty("Key").GetString());

        (await CallAsync("DeleteTrustStore", arn)).AssertSuccess();
        (await server.Cli.RunAsync("elbv2", "describe-tags", "--resource-arns", arn)).AssertError("TrustStoreNotFound");
    }
}

internal static class TestValueExtensions
{
    /// <summary>Applies <paramref name="action"/> to a value in the middle of an expression and returns the value.</summary>
    public static T Let<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }

    public static TResult Let<T, TResult>(this T value, Func<T, TResult> function) => function(value);
}
