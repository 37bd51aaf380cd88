using System.Text;
using Elbe.ControlPlane.Api.Acm;
using Elbe.ControlPlane.Certificates;

namespace Elbe.ControlPlane.Tests.Api;

public sealed class AcmRequestTests
{
    private static AcmRequest Parse(string json) => AcmRequest.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Blobs_are_base64_text_within_their_limits()
    {
        var request = Parse("""{"Certificate":"aGVsbG8=","Empty":"","Bad":"!!"}""");
        Assert.Equal("hello", request.Blob("Certificate", 10));
        Assert.Null(request.Blob("Missing", 10));
        Assert.Equal(AcmErrorCodes.ValidationException, Assert.Throws<AcmException>(() => request.Blob("Certificate", 4)).Code);
        Assert.Contains("greater than or equal to 1", Assert.Throws<AcmException>(() => request.Blob("Empty", 10)).Message, StringComparison.Ordinal);
        Assert.Equal("SerializationException", Assert.Throws<AcmException>(() => request.Blob("Bad", 10)).Code);
    }

    [Fact]
    public void Tags_follow_acms_constraints()
    {
        var tags = Parse("""{"Tags":[{"Key":"env","Value":"prod"},{"Key":"bare"}]}""").TagsWithOptionalValues()!;
        Assert.Equal([("env", (string?)"prod"), ("bare", null)], tags);

        Assert.Contains("'tags.1.member.key'", Assert.Throws<AcmException>(() => Parse("""{"Tags":[{"Key":""}]}""").Tags()).Message, StringComparison.Ordinal);
        Assert.Contains("'tags.1.member.value'", Assert.Throws<AcmException>(() => Parse("""{"Tags":[{"Key":"k","Value":"a#b"}]}""").Tags()).Message, StringComparison.Ordinal);
        Assert.Equal(AcmErrorCodes.InvalidTagException, Assert.Throws<AcmException>(() => Parse("""{"Tags":[{"Key":"aws:x"}]}""").Tags()).Code);
        Assert.Contains("greater than or equal to 1", Assert.Throws<AcmException>(() => Parse("""{"Tags":[]}""").Tags()).Message, StringComparison.Ordinal);
        var many = "[" + string.Join(',', Enumerable.Range(0, 51).Select(i => $"{{\"Key\":\"k{i}\"}}")) + "]";
        Assert.Contains("less than or equal to 50", Assert.Throws<AcmException>(() => Parse($$"""{"Tags":{{many}}}""").Tags()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Arns_must_match_acms_pattern()
    {
        const string arn = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012";
        Assert.Equal(arn, Parse($$"""{"CertificateArn":"{{arn}}"}""").Arn());
        Assert.Contains("regular expression pattern", Assert.Throws<AcmException>(() => Parse("""{"CertificateArn":"arn:aws:elasticloadbalancing:x"}""").Arn()).Message, StringComparison.Ordinal);
        Assert.Equal("1 validation error detected: Value null at 'certificateArn' failed to satisfy constraint: Member must not be null",
            Assert.Throws<AcmException>(() => Parse("{}").Arn()).Message);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"CertificateArn": 5}""")]
    public void Bodies_that_are_not_the_expected_json_are_serialization_errors(string body)
    {
        var error = Assert.Throws<AcmException>(() => Parse(body).String("CertificateArn"));
        Assert.Equal("SerializationException", error.Code);
    }
}
