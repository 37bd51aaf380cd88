namespace Elbe.Api.Tests.Infrastructure;

/// <summary>The one key pair every test server accepts, and a second, unknown one for refusal tests.</summary>
public static class TestCredentials
{
    public const string AccessKeyId = "AKIAELBETESTS0000001";
    public const string SecretAccessKey = "elbe/test/secret+Key0000000000000000000A";
    public const string Region = "us-east-1";

    public const string UnknownAccessKeyId = "AKIAELBEUNKNOWN00002";
}
