using System.Text.Json;
using Elbe.Api.Tests.Infrastructure;
using Elbe.ControlPlane.Certificates;
using Elbe.Tests.Certificates;
using static Elbe.Api.Tests.LoadBalancers.LoadBalancerCalls;

namespace Elbe.Api.Tests.Certificates;

/// <summary>The real `aws acm` CLI against Elbe's ACM actions, with fileb:// inputs as users pass PEM files.</summary>
public sealed class AcmCliTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>, IDisposable
{
    private readonly PemFiles _files = new();

    private AwsCli Cli => server.Cli;

    public void Dispose() => _files.Dispose();

    private async Task<string> ImportAsync(TestCertificate certificate, params string[] more)
    {
        var (cert, key, chain) = _files.Write(certificate);
        List<string> arguments = ["acm", "import-certificate", "--certificate", cert, "--private-key", key];
        if (certificate.ChainPem.Length > 0) arguments.AddRange(["--certificate-chain", chain]);
        arguments.AddRange(more);
        var imported = (await Cli.RunAsync([.. arguments], AwsCli.DefaultTimeout)).AssertSuccess();
        return imported.Json.GetProperty("CertificateArn").GetString()!;
    }

    private async Task<string> ImportErrorAsync(string certificatePem, string keyPem, string code = AcmErrorCodes.ValidationException)
    {
        var result = (await Cli.RunAsync("acm", "import-certificate", "--certificate", _files.Write(certificatePem), "--private-key", _files.Write(keyPem)))
            .AssertError(code);
        return result.Stderr;
    }

    [Fact]
    public async Task Import_describe_get_list_and_delete_a_certificate_with_its_chain()
    {
        var generated = TestCertificates.IssuedThroughIntermediate("chain.example.com");
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;
        var arn = await ImportAsync(generated, "--tags", "Key=env,Value=test");
        Assert.Matches(@"^arn:aws:acm:us-east-1:\d{12}:certificate/[0-9a-f-]{36}$", arn);

        var detail = (await Cli.RunAsync("acm", "describe-certificate", "--certificate-arn", arn)).AssertSuccess().Json.GetProperty("Certificate");
        Assert.Equal(arn, detail.GetProperty("CertificateArn").GetString());
        Assert.Equal("chain.example.com", detail.GetProperty("DomainName").GetString());
        Assert.Equal(["chain.example.com"], detail.GetProperty("SubjectAlternativeNames").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("IMPORTED", detail.GetProperty("Type").GetString());
        Assert.Equal("ISSUED", detail.GetProperty("Status").GetString());
        Assert.Equal("RSA-2048", detail.GetProperty("KeyAlgorithm").GetString());
        Assert.Equal("SHA256WITHECDSA", detail.GetProperty("SignatureAlgorithm").GetString());
        Assert.Equal("CN=chain.example.com", detail.GetProperty("Subject").GetString());
        Assert.Equal("Elbe Test Intermediate", detail.GetProperty("Issuer").GetString());
        Assert.Equal(string.Join(':', Convert.FromHexString(generated.SerialNumber).Select(b => b.ToString("x2"))), detail.GetProperty("Serial").GetString());
        Assert.Empty(detail.GetProperty("InUseBy").EnumerateArray());
        // The CLI prints ACM's epoch-second timestamps as ISO 8601.
        Assert.InRange(Time(detail, "ImportedAt").ToUnixTimeSeconds(), before, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.True(Time(detail, "NotAfter") > DateTimeOffset.UtcNow.AddDays(29));
        Assert.Contains(detail.GetProperty("ExtendedKeyUsages").EnumerateArray(), e => e.GetProperty("Name").GetString() == "TLS_WEB_SERVER_AUTHENTICATION");

        var got = (await Cli.RunAsync("acm", "get-certificate", "--certificate-arn", arn)).AssertSuccess();
        Assert.Equal(generated.CertificatePem.Trim(), got.Json.GetProperty("Certificate").GetString()!.Trim());
        Assert.Contains("BEGIN CERTIFICATE", got.Json.GetProperty("CertificateChain").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", got.Stdout, StringComparison.Ordinal);

        var listed = (await Cli.RunAsync("acm", "list-certificates")).AssertSuccess().Json.GetProperty("CertificateSummaryList");
        var summary = Assert.Single(listed.EnumerateArray(), s => s.GetProperty("CertificateArn").GetString() == arn);
        Assert.Equal("chain.example.com", summary.GetProperty("DomainName").GetString());
        Assert.Equal("RSA_2048", summary.GetProperty("KeyAlgorithm").GetString());
        Assert.False(summary.GetProperty("InUse").GetBoolean());

        (await Cli.RunAsync("acm", "delete-certificate", "--certificate-arn", arn)).AssertSuccess();
        var gone = (await Cli.RunAsync("acm", "describe-certificate", "--certificate-arn", arn)).AssertError(AcmErrorCodes.ResourceNotFoundException);
        Assert.Matches($@"Could not find certificate {System.Text.RegularExpressions.Regex.Escape(arn)} in account \d{{12}}\.", gone.Stderr);
        (await Cli.RunAsync("acm", "get-certificate", "--certificate-arn", arn)).AssertError(AcmErrorCodes.ResourceNotFoundException);
        (await Cli.RunAsync("acm", "delete-certificate", "--certificate-arn", arn)).AssertError(AcmErrorCodes.ResourceNotFoundException);
    }

    [Fact]
    public async Task Tags_are_added_listed_and_removed()
    {
        var arn = await ImportAsync(TestCertificates.SelfSigned("tags.example.com"), "--tags", "Key=env,Value=test");
        (await Cli.RunAsync("acm", "add-tags-to-certificate", "--certificate-arn", arn, "--tags", "Key=team,Value=web", "Key=env,Value=prod")).AssertSuccess();
        var tags = (await Cli.RunAsync("acm", "list-tags-for-certificate", "--certificate-arn", arn)).AssertSuccess().Json.GetProperty("Tags");
        Assert.Equal([("env", "prod"), ("team", "web")], Pairs(tags));

        (await Cli.RunAsync("acm", "remove-tags-from-certificate", "--certificate-arn", arn, "--tags", "Key=env,Value=other", "Key=team")).AssertSuccess();
        tags = (await Cli.RunAsync("acm", "list-tags-for-certificate", "--certificate-arn", arn)).AssertSuccess().Json.GetProperty("Tags");
        Assert.Equal([("env", "prod")], Pairs(tags));

        (await Cli.RunAsync("acm", "add-tags-to-certificate", "--certificate-arn", arn, "--tags", "Key=aws:reserved,Value=x")).AssertError(AcmErrorCodes.InvalidTagException);
        var missing = arn[..^12] + "000000000000";
        (await Cli.RunAsync("acm", "list-tags-for-certificate", "--certificate-arn", missing)).AssertError(AcmErrorCodes.ResourceNotFoundException);
        (await Cli.RunAsync("acm", "add-tags-to-certificate", "--certificate-arn", "arn:aws:s3:::bucket/not-a-certificate", "--tags", "Key=a,Value=b")).AssertError(AcmErrorCodes.ValidationException);
    }

    [Fact]
    public async Task A_key_that_does_not_match_is_refused_with_acms_error()
    {
        var one = TestCertificates.SelfSigned("one.example.com");
        var other = TestCertificates.SelfSigned("other.example.com");
        var stderr = await ImportErrorAsync(one.CertificatePem, other.PrivateKeyPem);
        Assert.Contains(CertificateImportValidator.KeyMismatch, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_certificate_is_refused_with_acms_error()
    {
        var expired = TestCertificates.SelfSigned("old.example.com", notBefore: DateTimeOffset.UtcNow.AddDays(-60), notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        var stderr = await ImportErrorAsync(expired.CertificatePem, expired.PrivateKeyPem);
        Assert.Contains(CertificateImportValidator.Expired, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_certificates_keys_and_bundles_are_refused_with_acms_errors()
    {
        var good = TestCertificates.IssuedThroughIntermediate("bundle.example.com");
        Assert.Contains(CertificateImportValidator.MalformedCertificate, await ImportErrorAsync("this is not a certificate\n", good.PrivateKeyPem), StringComparison.Ordinal);
        Assert.Contains(CertificateImportValidator.MoreThanOneCertificate, await ImportErrorAsync(good.CertificatePem + good.ChainPem, good.PrivateKeyPem), StringComparison.Ordinal);
        Assert.Contains(CertificateImportValidator.MalformedPrivateKey, await ImportErrorAsync(good.CertificatePem, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), StringComparison.Ordinal);
        var chain = (await Cli.RunAsync("acm", "import-certificate", "--certificate", _files.Write(good.CertificatePem), "--private-key", _files.Write(good.PrivateKeyPem),
            "--certificate-chain", _files.Write("garbage"))).AssertError(AcmErrorCodes.ValidationException);
        Assert.Contains(CertificateImportValidator.MalformedChain, chain.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reimport_onto_the_arn_keeps_it_and_replaces_the_certificate()
    {
        var first = TestCertificates.SelfSigned("rotate.example.com");
        var arn = await ImportAsync(first);
        var second = TestCertificates.SelfSigned("rotate.example.com", TestKeyType.EcP256);
        Assert.Equal(arn, await ImportAsync(second, "--certificate-arn", arn));

        var detail = (await Cli.RunAsync("acm", "describe-certificate", "--certificate-arn", arn)).AssertSuccess().Json.GetProperty("Certificate");
        Assert.Equal("EC-prime256v1", detail.GetProperty("KeyAlgorithm").GetString());
        Assert.Equal(second.SerialNumber, detail.GetProperty("Serial").GetString()!.Replace(":", "").ToUpperInvariant());
        Assert.Equal(2, Assert.Single(await AppliedAsync(arn)).Version);

        var unknown = arn[..^12] + "000000000000";
        var notFound = (await Cli.RunAsync("acm", "import-certificate", "--certificate", _files.Write(second.CertificatePem), "--private-key", _files.Write(second.PrivateKeyPem),
            "--certificate-arn", unknown)).AssertError(AcmErrorCodes.ResourceNotFoundException);
        Assert.Contains($"Could not find certificate {unknown}.", notFound.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_shows_rsa_2048_by_default_and_other_key_types_when_asked()
    {
        var rsa = await ImportAsync(TestCertificates.SelfSigned("rsa.list.example.com"));
        var ec = await ImportAsync(TestCertificates.SelfSigned("ec.list.example.com", TestKeyType.EcP256));

        var byDefault = Arns((await Cli.RunAsync("acm", "list-certificates")).AssertSuccess());
        Assert.Contains(rsa, byDefault);
        Assert.DoesNotContain(ec, byDefault);

        var ecOnly = Arns((await Cli.RunAsync("acm", "list-certificates", "--includes", "keyTypes=EC_prime256v1")).AssertSuccess());
        Assert.Contains(ec, ecOnly);
        Assert.DoesNotContain(rsa, ecOnly);

        Assert.Empty(Arns((await Cli.RunAsync("acm", "list-certificates", "--certificate-statuses", "EXPIRED")).AssertSuccess()));
        Assert.Contains(rsa, Arns((await Cli.RunAsync("acm", "list-certificates", "--certificate-statuses", "ISSUED")).AssertSuccess()));

        // The CLI follows NextToken itself; one item per page still yields them all.
        var paged = Arns((await Cli.RunAsync("acm", "list-certificates", "--page-size", "1", "--includes", "keyTypes=EC_prime256v1,RSA_2048")).AssertSuccess());
        Assert.Contains(rsa, paged);
        Assert.Contains(ec, paged);
    }

    [Fact]
    public async Task A_listener_naming_a_missing_certificate_is_certificate_not_found_and_one_in_use_cannot_be_deleted()
    {
        var lbArn = await CreateArnAsync(server.Client, UniqueName.Next("acml"));
        var missing = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000";
        const string actions = "Type=fixed-response,FixedResponseConfig={StatusCode=200}";
        var refused = (await Cli.RunAsync("elbv2", "create-listener", "--load-balancer-arn", lbArn, "--protocol", "HTTPS", "--port", "443",
            "--certificates", $"CertificateArn={missing}", "--default-actions", actions)).AssertError("CertificateNotFound");
        Assert.Contains($"Certificate '{missing}' not found", refused.Stderr, StringComparison.Ordinal);

        var arn = await ImportAsync(TestCertificates.SelfSigned("inuse.example.com"));
        var listener = (await Cli.RunAsync("elbv2", "create-listener", "--load-balancer-arn", lbArn, "--protocol", "HTTPS", "--port", "443",
            "--certificates", $"CertificateArn={arn}", "--default-actions", actions)).AssertSuccess().Json.GetProperty("Listeners")[0].GetProperty("ListenerArn").GetString()!;
        (await Cli.RunAsync("elbv2", "add-listener-certificates", "--listener-arn", listener, "--certificates", $"CertificateArn={missing}")).AssertError("CertificateNotFound");
        (await Cli.RunAsync("elbv2", "modify-listener", "--listener-arn", listener, "--certificates", $"CertificateArn={missing}")).AssertError("CertificateNotFound");

        var detail = (await Cli.RunAsync("acm", "describe-certificate", "--certificate-arn", arn)).AssertSuccess().Json.GetProperty("Certificate");
        Assert.Equal([lbArn], detail.GetProperty("InUseBy").EnumerateArray().Select(e => e.GetString()));
        var inUse = (await Cli.RunAsync("acm", "delete-certificate", "--certificate-arn", arn)).AssertError(AcmErrorCodes.ResourceInUseException);
        Assert.Contains(arn, inUse.Stderr, StringComparison.Ordinal);

        (await Cli.RunAsync("elbv2", "delete-listener", "--listener-arn", listener)).AssertSuccess();
        (await Cli.RunAsync("acm", "delete-certificate", "--certificate-arn", arn)).AssertSuccess();
    }

    private async Task<IReadOnlyList<Elbe.Model.Resources.Certificate>> AppliedAsync(string arn)
    {
        // The data plane applies commits in the background; the store has the newest version already.
        for (var i = 0; i < 100; i++)
        {
            var applied = server.Harness.Server.Configuration.Certificates.Where(c => c.Arn == arn && c.Version == 2).ToList();
            if (applied.Count == 1) return applied;
            await Task.Delay(50);
        }
        return server.Harness.Server.Configuration.Certificates.Where(c => c.Arn == arn).ToList();
    }

    private static DateTimeOffset Time(JsonElement element, string member) =>
        DateTimeOffset.Parse(element.GetProperty(member).GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    private static List<string> Arns(AwsCliResult result) =>
        [.. result.Json.GetProperty("CertificateSummaryList").EnumerateArray().Select(s => s.GetProperty("CertificateArn").GetString()!)];

    private static List<(string, string)> Pairs(JsonElement tags) =>
        [.. tags.EnumerateArray().Select(t => (t.GetProperty("Key").GetString()!, t.GetProperty("Value").GetString()!))];
}
