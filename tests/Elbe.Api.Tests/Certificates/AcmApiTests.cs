using System.Net;
using System.Text.Json.Nodes;
using Elbe.Api.Tests.Infrastructure;
using Elbe.ControlPlane.Certificates;
using Elbe.Tests.Certificates;

namespace Elbe.Api.Tests.Certificates;

/// <summary>ACM's JSON protocol over signed HTTP: shapes, signing scope, refusals, pagination, persistence.</summary>
public sealed class AcmApiTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>, IDisposable
{
    private readonly AcmClient _acm = new(server.Harness.BaseUrl);

    public void Dispose() => _acm.Dispose();

    private static JsonObject ImportInput(TestCertificate certificate) =>
        AcmClient.Blobs(("Certificate", certificate.CertificatePem), ("PrivateKey", certificate.PrivateKeyPem));

    private async Task<string> ImportAsync(AcmClient acm, TestCertificate certificate) =>
        (await acm.CallAsync("ImportCertificate", ImportInput(certificate))).AssertOk().GetProperty("CertificateArn").GetString()!;

    [Fact]
    public async Task Import_answers_json_with_the_arn_and_describe_uses_epoch_seconds()
    {
        var arn = await ImportAsync(_acm, TestCertificates.SelfSigned("json.example.com", TestKeyType.EcP384, alternativeNames: ["alt.example.com"]));
        var response = await _acm.CallAsync("DescribeCertificate", new JsonObject { ["CertificateArn"] = arn });
        var detail = response.AssertOk().GetProperty("Certificate");
        Assert.Equal(AcmClient.ContentType, response.ContentType);
        Assert.Equal("EC-secp384r1", detail.GetProperty("KeyAlgorithm").GetString());
        Assert.Equal(["json.example.com", "alt.example.com"], detail.GetProperty("SubjectAlternativeNames").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Number, detail.GetProperty("NotBefore").ValueKind);
        Assert.Equal(detail.GetProperty("CreatedAt").GetDouble(), detail.GetProperty("ImportedAt").GetDouble());
    }

    [Fact]
    public async Task Every_action_answers_in_acms_json_shapes()
    {
        var generated = TestCertificates.IssuedThroughIntermediate("shapes.example.com");
        var input = AcmClient.Blobs(("Certificate", generated.CertificatePem), ("PrivateKey", generated.PrivateKeyPem), ("CertificateChain", generated.ChainPem));
        input["Tags"] = new JsonArray(new JsonObject { ["Key"] = "env", ["Value"] = "test" });
        var arn = (await _acm.CallAsync("ImportCertificate", input)).AssertOk().GetProperty("CertificateArn").GetString()!;
        JsonObject Arn() => new() { ["CertificateArn"] = arn };

        var got = (await _acm.CallAsync("GetCertificate", Arn())).AssertOk();
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", got.GetProperty("Certificate").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, got.GetProperty("CertificateChain").GetString()!.Split("BEGIN CERTIFICATE").Length - 1);

        var addTags = Arn();
        addTags["Tags"] = new JsonArray(new JsonObject { ["Key"] = "team", ["Value"] = "edge" });
        Assert.Equal("{}", (await _acm.CallAsync("AddTagsToCertificate", addTags)).Body);
        var tags = (await _acm.CallAsync("ListTagsForCertificate", Arn())).AssertOk().GetProperty("Tags");
        Assert.Equal(["env", "team"], tags.EnumerateArray().Select(t => t.GetProperty("Key").GetString()));
        var removeTags = Arn();
        removeTags["Tags"] = new JsonArray(new JsonObject { ["Key"] = "env" }, new JsonObject { ["Key"] = "team" });
        Assert.Equal("{}", (await _acm.CallAsync("RemoveTagsFromCertificate", removeTags)).Body);
        Assert.False((await _acm.CallAsync("ListTagsForCertificate", Arn())).AssertOk().TryGetProperty("Tags", out _));

        var summaries = (await _acm.CallAsync("ListCertificates", new JsonObject { ["CertificateStatuses"] = new JsonArray("ISSUED") }))
            .AssertOk().GetProperty("CertificateSummaryList");
        var summary = Assert.Single(summaries.EnumerateArray(), s => s.GetProperty("CertificateArn").GetString() == arn);
        Assert.Equal("IMPORTED", summary.GetProperty("Type").GetString());
        Assert.Equal("ISSUED", summary.GetProperty("Status").GetString());

        Assert.Equal("{}", (await _acm.CallAsync("DeleteCertificate", Arn())).Body);
        var message = (await _acm.CallAsync("DescribeCertificate", Arn())).AssertError(AcmErrorCodes.ResourceNotFoundException);
        Assert.Equal($"Could not find certificate {arn} in account {Elbe.Model.Identifiers.Arns.DefaultAccountId}.", message);
    }

    [Fact]
    public async Task Requests_signed_for_another_service_or_with_a_wrong_key_are_refused()
    {
        var wrongService = await _acm.CallAsync("ListCertificates", service: "elasticloadbalancing");
        Assert.Contains("'acm'", wrongService.AssertError("InvalidSignatureException", HttpStatusCode.Forbidden), StringComparison.Ordinal);
        (await _acm.CallAsync("ListCertificates", secretAccessKey: "wrong")).AssertError("InvalidSignatureException", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Unknown_operations_bad_json_and_missing_members_get_acms_errors()
    {
        (await _acm.CallAsync("RequestCertificate", new JsonObject { ["DomainName"] = "x.example.com" })).AssertError("UnknownOperationException");
        var missing = (await _acm.CallAsync("DescribeCertificate")).AssertError(AcmErrorCodes.ValidationException);
        Assert.Equal("1 validation error detected: Value null at 'certificateArn' failed to satisfy constraint: Member must not be null", missing);
        var badArn = (await _acm.CallAsync("GetCertificate", new JsonObject { ["CertificateArn"] = "arn:aws:s3:::bucket/key-and-more" })).AssertError(AcmErrorCodes.ValidationException);
        Assert.Contains("failed to satisfy constraint: Member must satisfy regular expression pattern", badArn, StringComparison.Ordinal);
        var noKey = AcmClient.Blobs(("Certificate", TestCertificates.SelfSigned().CertificatePem));
        Assert.Contains("'privateKey'", (await _acm.CallAsync("ImportCertificate", noKey)).AssertError(AcmErrorCodes.ValidationException), StringComparison.Ordinal);
        var tooMuch = (await _acm.CallAsync("ListCertificates", new JsonObject { ["MaxItems"] = 1001 })).AssertError(AcmErrorCodes.ValidationException);
        Assert.Contains("'maxItems'", tooMuch, StringComparison.Ordinal);
        (await _acm.CallAsync("ListCertificates", new JsonObject { ["NextToken"] = "bm90IGEgdG9rZW4=" })).AssertError("InvalidNextTokenException");
    }

    [Fact]
    public async Task List_pages_with_max_items_and_next_token()
    {
        for (var i = 0; i < 3; i++) await ImportAsync(_acm, TestCertificates.SelfSigned($"page{i}.example.com", TestKeyType.EcP256));
        var all = new List<string>();
        string? token = null;
        for (var page = 0; page < 50; page++)
        {
            var input = new JsonObject { ["MaxItems"] = 1, ["Includes"] = new JsonObject { ["keyTypes"] = new JsonArray("EC_prime256v1") } };
            if (token is not null) input["NextToken"] = token;
            var body = (await _acm.CallAsync("ListCertificates", input)).AssertOk();
            var summaries = body.GetProperty("CertificateSummaryList");
            Assert.True(summaries.GetArrayLength() <= 1);
            all.AddRange(summaries.EnumerateArray().Select(s => s.GetProperty("CertificateArn").GetString()!));
            token = body.TryGetProperty("NextToken", out var next) ? next.GetString() : null;
            if (token is null) break;
        }
        Assert.Null(token);
        Assert.True(all.Count >= 3);
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Certificates_survive_a_restart_with_their_keys_in_owner_only_files()
    {
        await using var harness = await ApiHarness.StartAsync();
        using var acm = new AcmClient(harness.BaseUrl);
        var generated = TestCertificates.SelfSigned("restart.example.com");
        var arn = await ImportAsync(acm, generated);
        var rotated = TestCertificates.SelfSigned("restart.example.com");
        var input = ImportInput(rotated);
        input["CertificateArn"] = arn;
        Assert.Equal(arn, (await acm.CallAsync("ImportCertificate", input)).AssertOk().GetProperty("CertificateArn").GetString());

        var keys = new PrivateKeyFiles(harness.DataDirectory);
        var keyFile = keys.PathOf(arn, 2);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys.Directory));
        Assert.False(File.Exists(keys.PathOf(arn, 1)));

        await harness.RestartAsync();

        var detail = (await acm.CallAsync("DescribeCertificate", new JsonObject { ["CertificateArn"] = arn })).AssertOk().GetProperty("Certificate");
        Assert.Equal(rotated.SerialNumber, detail.GetProperty("Serial").GetString()!.Replace(":", "").ToUpperInvariant());
        var stored = Assert.Single(harness.Server.Configuration.Certificates);
        Assert.Equal(2, stored.Version);
        using var withKey = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(stored.CertificatePem, stored.PrivateKeyPem);
        Assert.True(withKey.HasPrivateKey);
    }
}
