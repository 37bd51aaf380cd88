using System.Text;
using Elbe.ControlPlane.Signing;

namespace Elbe.ControlPlane.Tests.Signing;

public sealed class SigV4SignerTests
{
    // Captured from the AWS CLI against a local endpoint (fact sheet §1.5).
    private const string Body = "Action=DescribeLoadBalancers&Version=2015-12-01&Names.member.1=a&Names.member.2=b";
    private const string AmzDate = "20261123T200127Z";

    private static SigV4Request CapturedRequest() => new(
        "POST", "/", [],
        [
            new("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
            new("Host", "127.0.0.1:18999"),
            new("X-Amz-Date", AmzDate),
        ],
        SigV4Signer.PayloadHash(Encoding.UTF8.GetBytes(Body)));

    [Fact]
    public void Body_hash_matches_the_captured_vector() =>
        Assert.Equal("da407f8b8d54a870d50d2af120f09a8ed682f60a67996be814a5664a59977adf", SigV4Signer.PayloadHash(Encoding.UTF8.GetBytes(Body)));

    [Fact]
    public void Signature_matches_the_captured_vector()
    {
        var signature = SigV4Signer.Sign(CapturedRequest(), "AKIDEXAMPLE", "secret", AmzDate, "us-east-1");

        Assert.Equal("5bfd3c8d540f377acdafa90448be6e04c32320ed9d9b786a123fdfedd98be33a", signature.Signature);
        Assert.Equal("content-type;host;x-amz-date", signature.SignedHeaders);
        Assert.Equal("20261123/us-east-1/elasticloadbalancing/aws4_request", signature.Scope.ToString());
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261123/us-east-1/elasticloadbalancing/aws4_request, " +
            "SignedHeaders=content-type;host;x-amz-date, Signature=5bfd3c8d540f377acdafa90448be6e04c32320ed9d9b786a123fdfedd98be33a",
            signature.AuthorizationHeader);
    }

    [Fact]
    public void Canonical_request_has_the_six_parts_in_order()
    {
        var canonical = SigV4Signer.CanonicalRequest(CapturedRequest());

        Assert.Equal(
            "POST\n/\n\n" +
            "content-type:application/x-www-form-urlencoded; charset=utf-8\nhost:127.0.0.1:18999\nx-amz-date:20261123T200127Z\n\n" +
            "content-type;host;x-amz-date\n" +
            "da407f8b8d54a870d50d2af120f09a8ed682f60a67996be814a5664a59977adf",
            canonical);
    }

    [Fact]
    public void String_to_sign_names_algorithm_date_scope_and_request_hash()
    {
        var signature = SigV4Signer.Sign(CapturedRequest(), "AKIDEXAMPLE", "secret", AmzDate, "us-east-1");
        var lines = signature.StringToSign.Split('\n');

        Assert.Equal(["AWS4-HMAC-SHA256", AmzDate, "20261123/us-east-1/elasticloadbalancing/aws4_request"], lines[..3]);
        Assert.Equal(64, lines[3].Length);
    }

    [Fact]
    public void Canonical_query_sorts_by_encoded_key_and_encodes_per_rfc3986()
    {
        var query = SigV4Signer.CanonicalQuery(
        [
            new("Version", "2015-12-01"),
            new("Action", "DescribeLoadBalancers"),
            new("Names.member.1", "a b/c~d*e"),
            new("A", "2"),
            new("A", "1"),
        ]);

        Assert.Equal("A=1&A=2&Action=DescribeLoadBalancers&Names.member.1=a%20b%2Fc~d%2Ae&Version=2015-12-01", query);
    }

    [Fact]
    public void Canonical_headers_are_lowercase_trimmed_collapsed_and_sorted()
    {
        KeyValuePair<string, string>[] headers =
        [
            new("X-Amz-Date", " 20261123T200127Z "),
            new("My-Header", "  a   b  c "),
            new("Host", "example:80"),
        ];

        Assert.Equal("host:example:80\nmy-header:a b c\nx-amz-date:20261123T200127Z\n", SigV4Signer.CanonicalHeaders(headers));
        Assert.Equal("host;my-header;x-amz-date", SigV4Signer.SignedHeaderList(headers));
    }

    [Fact]
    public void Encode_leaves_only_unreserved_characters_and_uses_utf8()
    {
        Assert.Equal("AZaz09-_.~", SigV4Signer.Encode("AZaz09-_.~"));
        Assert.Equal("%20%2B%2A%3D%26%2F%C3%A9", SigV4Signer.Encode(" +*=&/é"));
    }

    [Fact]
    public void Signature_changes_with_secret_region_body_and_date()
    {
        var baseline = SigV4Signer.Sign(CapturedRequest(), "AKIDEXAMPLE", "secret", AmzDate, "us-east-1").Signature;

        Assert.NotEqual(baseline, SigV4Signer.Sign(CapturedRequest(), "AKIDEXAMPLE", "secret2", AmzDate, "us-east-1").Signature);
        Assert.NotEqual(baseline, SigV4Signer.Sign(CapturedRequest(), "AKIDEXAMPLE", "secret", AmzDate, "eu-west-1").Signature);
        Assert.NotEqual(baseline, SigV4Signer.Sign(CapturedRequest() with { PayloadHash = SigV4Signer.EmptyPayloadHash }, "AKIDEXAMPLE", "secret", AmzDate, "us-east-1").Signature);
        Assert.NotEqual(baseline, SigV4Signer.Sign(CapturedRequest(), "AKIDEXAMPLE", "secret", "20261123T200128Z", "us-east-1").Signature);
    }

    [Fact]
    public void Dates_round_trip_in_the_basic_iso_format()
    {
        var time = new DateTimeOffset(2026, 11, 23, 20, 1, 27, TimeSpan.Zero);

        Assert.Equal(AmzDate, SigV4Signer.FormatDate(time));
        Assert.True(SigV4Signer.TryParseDate(AmzDate, out var parsed));
        Assert.Equal(time, parsed);
        Assert.False(SigV4Signer.TryParseDate("2026-11-23T20:01:27Z", out _));
    }
}
