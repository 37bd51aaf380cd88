using System.Text;
using Elbe.ControlPlane.Api;
using Elbe.ControlPlane.Signing;
using Microsoft.AspNetCore.Http;

namespace Elbe.ControlPlane.Tests.Signing;

public sealed class SigV4VerifierTests
{
    private const string Body = "Action=DescribeLoadBalancers&Version=2015-12-01&Names.member.1=a&Names.member.2=b";
    private const string ContentType = "application/x-www-form-urlencoded; charset=utf-8";
    private const string Host = "127.0.0.1:18999";
    private const string CapturedAuthorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261123/us-east-1/elasticloadbalancing/aws4_request, " +
        "SignedHeaders=content-type;host;x-amz-date, Signature=5bfd3c8d540f377acdafa90448be6e04c32320ed9d9b786a123fdfedd98be33a";
    private static readonly DateTimeOffset SignedAt = new(2026, 11, 23, 20, 1, 27, TimeSpan.Zero);

    private readonly FixedClock _clock = new(SignedAt);
    private readonly SigV4Verifier _verifier;

    public SigV4VerifierTests() => _verifier = new SigV4Verifier(new ApiCredentials("AKIDEXAMPLE", "secret", "123456789012"), _clock);

    private static HttpRequest Request(string? authorization = CapturedAuthorization, string amzDate = "20261123T200127Z", string host = Host)
    {
        var request = new DefaultHttpContext().Request;
        request.Method = "POST";
        request.Path = "/";
        request.Host = new HostString(host);
        request.ContentType = ContentType;
        request.Headers["X-Amz-Date"] = amzDate;
        request.Headers["User-Agent"] = "aws-cli/2 not signed";
        if (authorization is not null) request.Headers.Authorization = authorization;
        return request;
    }

    private static string Sign(string secret = "secret", string region = "us-east-1", string service = "elasticloadbalancing", string amzDate = "20261123T200127Z",
        string body = Body, string accessKeyId = "AKIDEXAMPLE") =>
        SigV4Signer.Sign(new SigV4Request("POST", "/", [], [new("content-type", ContentType), new("host", Host), new("x-amz-date", amzDate)],
            SigV4Signer.PayloadHash(Encoding.UTF8.GetBytes(body))), accessKeyId, secret, amzDate, region, service).AuthorizationHeader;

    private ApiException Refusal(HttpRequest request, string body = Body) =>
        Assert.Throws<ApiException>(() => _verifier.Verify(request, Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void Accepts_the_captured_cli_request_and_reports_key_account_and_region()
    {
        var identity = _verifier.Verify(Request(), Encoding.UTF8.GetBytes(Body));

        Assert.Equal(new SignedIdentity("AKIDEXAMPLE", "123456789012", "us-east-1"), identity);
    }

    [Fact]
    public void The_region_comes_from_the_credential_scope()
    {
        var identity = _verifier.Verify(Request(Sign(region: "eu-central-1")), Encoding.UTF8.GetBytes(Body));

        Assert.Equal("eu-central-1", identity.Region);
    }

    [Fact]
    public void No_authorization_is_a_missing_token()
    {
        var error = Refusal(Request(authorization: null));

        Assert.Equal(("MissingAuthenticationToken", 403, "Request is missing Authentication Token"), (error.Code, error.StatusCode, error.Message));
    }

    [Theory]
    [InlineData("AWS4-HMAC-SHA256 Credential=garbage")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261123/us-east-1/elasticloadbalancing/aws4_request, SignedHeaders=host")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261123/us-east-1/aws4_request, SignedHeaders=host, Signature=00")]
    [InlineData("Basic QUtJRDpzZWNyZXQ=")]
    [InlineData("AWS4-HMAC-SHA256 nonsense")]
    public void A_malformed_authorization_is_an_incomplete_signature(string authorization)
    {
        var error = Refusal(Request(authorization));

        Assert.Equal(("IncompleteSignature", 400), (error.Code, error.StatusCode));
    }

    [Fact]
    public void A_missing_date_is_an_incomplete_signature()
    {
        var request = Request();
        request.Headers.Remove("X-Amz-Date");

        Assert.Equal("IncompleteSignature", Refusal(request).Code);
    }

    [Fact]
    public void An_unknown_key_is_an_invalid_client_token()
    {
        var error = Refusal(Request(Sign(accessKeyId: "AKIDOTHER")));

        Assert.Equal(("InvalidClientTokenId", 403, "The security token included in the request is invalid."), (error.Code, error.StatusCode, error.Message));
    }

    [Fact]
    public void A_wrong_secret_does_not_match()
    {
        var error = Refusal(Request(Sign(secret: "wrong")));

        Assert.Equal(("SignatureDoesNotMatch", 403), (error.Code, error.StatusCode));
        Assert.Equal("The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. " +
            "Consult the service documentation for details.", error.Message);
    }

    [Fact]
    public void A_tampered_body_does_not_match() =>
        Assert.Equal("SignatureDoesNotMatch", Refusal(Request(), Body.Replace("Names.member.2=b", "Names.member.2=c", StringComparison.Ordinal)).Code);

    [Fact]
    public void A_tampered_signed_header_does_not_match() =>
        Assert.Equal("SignatureDoesNotMatch", Refusal(Request(host: "127.0.0.1:19000")).Code);

    [Fact]
    public void Unsigned_headers_may_change()
    {
        var request = Request();
        request.Headers["User-Agent"] = "something else";
        request.Headers["amz-sdk-request"] = "attempt=2; max=3";

        _verifier.Verify(request, Encoding.UTF8.GetBytes(Body));
    }

    [Fact]
    public void Another_service_in_the_scope_does_not_match()
    {
        var error = Refusal(Request(Sign(service: "ec2")));

        Assert.Equal(("SignatureDoesNotMatch", 403), (error.Code, error.StatusCode));
        Assert.Contains("elasticloadbalancing", error.Message);
    }

    [Fact]
    public void A_scope_date_other_than_the_request_date_does_not_match()
    {
        var authorization = CapturedAuthorization.Replace("/20261123/", "/20261122/", StringComparison.Ordinal);

        Assert.Equal("SignatureDoesNotMatch", Refusal(Request(authorization)).Code);
    }

    [Theory]
    [InlineData(-6)]
    [InlineData(6)]
    public void More_than_five_minutes_of_clock_difference_has_expired(int minutes)
    {
        _clock.Now = SignedAt.AddMinutes(minutes);

        var error = Refusal(Request());

        Assert.Equal(("RequestExpired", 400, "Request has expired."), (error.Code, error.StatusCode, error.Message));
    }

    [Theory]
    [InlineData(-4)]
    [InlineData(4)]
    public void Up_to_five_minutes_of_clock_difference_is_accepted(int minutes)
    {
        _clock.Now = SignedAt.AddMinutes(minutes);

        _verifier.Verify(Request(), Encoding.UTF8.GetBytes(Body));
    }

    [Fact]
    public void An_uppercase_signature_still_matches() =>
        _verifier.Verify(Request(CapturedAuthorization[..^64] + CapturedAuthorization[^64..].ToUpperInvariant()), Encoding.UTF8.GetBytes(Body));

    [Fact]
    public void A_presigned_get_is_verified_from_its_query()
    {
        var query = new List<KeyValuePair<string, string>>
        {
            new("Action", "DescribeLoadBalancers"),
            new("Version", "2015-12-01"),
            new("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            new("X-Amz-Credential", "AKIDEXAMPLE/20261123/us-east-1/elasticloadbalancing/aws4_request"),
            new("X-Amz-Date", "20261123T200127Z"),
            new("X-Amz-Expires", "60"),
            new("X-Amz-SignedHeaders", "host"),
        };
        var signature = SigV4Signer.Sign(new SigV4Request("GET", "/", query, [new("host", Host)], SigV4Signer.EmptyPayloadHash),
            "AKIDEXAMPLE", "secret", "20261123T200127Z", "us-east-1").Signature;
        var request = new DefaultHttpContext().Request;
        request.Method = "GET";
        request.Path = "/";
        request.Host = new HostString(Host);
        request.QueryString = new QueryString("?" + string.Join('&', query.Append(new("X-Amz-Signature", signature))
            .Select(p => SigV4Signer.Encode(p.Key) + "=" + SigV4Signer.Encode(p.Value))));

        Assert.Equal("us-east-1", _verifier.Verify(request, []).Region);

        _clock.Now = SignedAt.AddSeconds(61);
        Assert.Equal("RequestExpired", Assert.Throws<ApiException>(() => _verifier.Verify(request, [])).Code);
    }
}
