using Elbe.Api.Tests.Infrastructure;

namespace Elbe.Api.Tests.TrustStores;

/// <summary>Trust stores on a server of their own: what survives a restart, and the per-account quota.</summary>
public sealed class TrustStorePersistenceTests : IDisposable
{
    private readonly TrustStoreFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Trust_stores_revocations_and_tags_survive_a_restart()
    {
        await using var harness = await ApiHarness.StartAsync();
        var ca = TrustStoreFiles.NewCa("Elbe Durable CA");
        var created = (await harness.Client.CallAsync("CreateTrustStore", new ApiRequestParameters()
            .Add("Name", "durable").Add("CaCertificatesBundleS3Bucket", _files.Bucket).Add("CaCertificatesBundleS3Key", _files.WriteBundle("ca.pem", ca))
            .Tags(("env", "prod")))).AssertSuccess();
        var arn = created.Value("TrustStoreArn")!;
        (await harness.Client.CallAsync("AddTrustStoreRevocations", new ApiRequestParameters().Add("TrustStoreArn", arn)
            .StructList("RevocationContents", c => c.Add("S3Bucket", _files.Bucket).Add("S3Key", _files.WriteCrl("r.crl", ca, [[0x0a], [0x0b]])))))
            .AssertSuccess();
        var before = (await harness.Client.CallAsync("DescribeTrustStores")).AssertSuccess().Members("TrustStores").Single().ToString();
        var revocationsBefore = (await harness.Client.CallAsync("DescribeTrustStoreRevocations", new ApiRequestParameters().Add("TrustStoreArn", arn)))
            .AssertSuccess().Members("TrustStoreRevocations").Single().ToString();

        await harness.RestartAsync();

        var after = (await harness.Client.CallAsync("DescribeTrustStores")).AssertSuccess().Members("TrustStores");
        Assert.Equal(before, Assert.Single(after).ToString());
        var revocationsAfter = (await harness.Client.CallAsync("DescribeTrustStoreRevocations", new ApiRequestParameters().Add("TrustStoreArn", arn)))
            .AssertSuccess().Members("TrustStoreRevocations");
        Assert.Equal(revocationsBefore, Assert.Single(revocationsAfter).ToString());
        var tags = (await harness.Client.CallAsync("DescribeTags", new ApiRequestParameters().List("ResourceArns", arn))).AssertSuccess();
        Assert.Equal("prod", tags.Value("Value"));
        var next = (await harness.Client.CallAsync("AddTrustStoreRevocations", new ApiRequestParameters().Add("TrustStoreArn", arn)
            .StructList("RevocationContents", c => c.Add("S3Bucket", _files.Bucket).Add("S3Key", "r.crl")))).AssertSuccess();
        Assert.Equal("2", next.Value("RevocationId"));
    }

    [Fact]
    public async Task An_account_holds_at_most_twenty_trust_stores()
    {
        await using var harness = await ApiHarness.StartAsync();
        var key = _files.WriteBundle("ca.pem", TrustStoreFiles.NewCa("Elbe Quota CA"));
        Task<ApiResponse> Create(string name) => harness.Client.CallAsync("CreateTrustStore", new ApiRequestParameters()
            .Add("Name", name).Add("CaCertificatesBundleS3Bucket", _files.Bucket).Add("CaCertificatesBundleS3Key", key));

        for (var i = 1; i <= 20; i++) (await Create($"quota-{i}")).AssertSuccess();
        (await Create("quota-21")).AssertError("TooManyTrustStores");

        var page = (await harness.Client.CallAsync("DescribeTrustStores", new ApiRequestParameters().Add("PageSize", 15))).AssertSuccess();
        Assert.Equal(15, page.Members("TrustStores").Count);
        var rest = (await harness.Client.CallAsync("DescribeTrustStores", new ApiRequestParameters().Add("Marker", page.Value("NextMarker")!))).AssertSuccess();
        Assert.Equal(5, rest.Members("TrustStores").Count);
        Assert.Null(rest.Element("NextMarker"));
    }
}
