using System.Collections;
using Elbe.ControlPlane.Signing;

namespace Elbe.ControlPlane.Tests.Signing;

public sealed class ApiCredentialsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("elbe-credentials").FullName;

    private string DataDirectory => Path.Combine(_root, "data", "nested");

    private static Hashtable Environment(string? id = null, string? secret = null)
    {
        var environment = new Hashtable();
        if (id is not null) environment[ApiCredentials.AccessKeyIdVariable] = id;
        if (secret is not null) environment[ApiCredentials.SecretAccessKeyVariable] = secret;
        return environment;
    }

    [Fact]
    public void The_environment_pair_wins_and_writes_no_file()
    {
        var credentials = ApiCredentials.Resolve(DataDirectory, Environment("AKIAENVIRONMENT00001", "env-secret"));

        Assert.Equal(("AKIAENVIRONMENT00001", "env-secret", "000000000000"), (credentials.AccessKeyId, credentials.SecretAccessKey, credentials.AccountId));
        Assert.False(credentials.Generated);
        Assert.Null(credentials.FilePath);
        Assert.False(Directory.Exists(DataDirectory));
    }

    [Fact]
    public void Half_an_environment_pair_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ApiCredentials.Resolve(DataDirectory, Environment(id: "AKIAENVIRONMENT00001")));

        Assert.Contains(ApiCredentials.SecretAccessKeyVariable, error.Message);
    }

    [Fact]
    public void Empty_variables_count_as_unset()
    {
        var credentials = ApiCredentials.Resolve(DataDirectory, Environment("", ""));

        Assert.True(credentials.Generated);
    }

    [Fact]
    public void The_first_start_generates_a_pair_into_an_owner_only_file()
    {
        var credentials = ApiCredentials.Resolve(DataDirectory, Environment());

        Assert.True(credentials.Generated);
        Assert.Matches("^AKIA[A-Z0-9]{16}$", credentials.AccessKeyId);
        Assert.Equal(40, credentials.SecretAccessKey.Length);
        Assert.Equal("000000000000", credentials.AccountId);
        var path = Path.Combine(DataDirectory, ApiCredentials.FileName);
        Assert.Equal(path, credentials.FilePath);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal([ApiCredentials.FileName], Directory.GetFiles(DataDirectory).Select(Path.GetFileName));
    }

    [Fact]
    public void Later_starts_read_the_same_pair()
    {
        var first = ApiCredentials.Resolve(DataDirectory, Environment());
        var second = ApiCredentials.Resolve(DataDirectory, Environment());

        Assert.False(second.Generated);
        Assert.Equal((first.AccessKeyId, first.SecretAccessKey), (second.AccessKeyId, second.SecretAccessKey));
    }

    [Fact]
    public void Generated_pairs_differ()
    {
        Assert.NotEqual(ApiCredentials.Generate().AccessKeyId, ApiCredentials.Generate().AccessKeyId);
        Assert.NotEqual(ApiCredentials.Generate().SecretAccessKey, ApiCredentials.Generate().SecretAccessKey);
    }

    [Fact]
    public void The_file_is_an_aws_shared_credentials_file_and_may_carry_an_account()
    {
        Directory.CreateDirectory(DataDirectory);
        File.WriteAllText(Path.Combine(DataDirectory, ApiCredentials.FileName), """
            # hand-written
            [default]
            aws_access_key_id = AKIAHANDWRITTEN00001
            aws_secret_access_key=hand/written+secret
            aws_account_id = 123456789012
            """);

        var credentials = ApiCredentials.Resolve(DataDirectory, Environment());

        Assert.Equal(("AKIAHANDWRITTEN00001", "hand/written+secret", "123456789012"), (credentials.AccessKeyId, credentials.SecretAccessKey, credentials.AccountId));
        Assert.False(credentials.Generated);
    }

    [Fact]
    public void A_file_without_a_secret_is_refused()
    {
        Directory.CreateDirectory(DataDirectory);
        File.WriteAllText(Path.Combine(DataDirectory, ApiCredentials.FileName), "[default]\naws_access_key_id = AKIAHANDWRITTEN00001\n");

        Assert.Throws<InvalidDataException>(() => ApiCredentials.Resolve(DataDirectory, Environment()));
    }

    [Fact]
    public void The_usage_hint_shows_how_to_point_the_cli_at_the_api()
    {
        var credentials = ApiCredentials.Resolve(DataDirectory, Environment());

        var hint = credentials.UsageHint("127.0.0.1:4580");

        Assert.Contains($"export AWS_ACCESS_KEY_ID={credentials.AccessKeyId}", hint);
        Assert.Contains($"export AWS_SECRET_ACCESS_KEY='{credentials.SecretAccessKey}'", hint);
        Assert.Contains("export AWS_DEFAULT_REGION=us-east-1", hint);
        Assert.Contains("aws elbv2 describe-load-balancers --endpoint-url http://127.0.0.1:4580", hint);
    }

    [Fact]
    public void The_usage_hint_for_environment_credentials_does_not_repeat_the_secret()
    {
        var hint = ApiCredentials.Resolve(DataDirectory, Environment("AKIAENVIRONMENT00001", "env-secret")).UsageHint("127.0.0.1:4580", "eu-west-1");

        Assert.DoesNotContain("env-secret", hint);
        Assert.Contains("$ELBE_SECRET_ACCESS_KEY", hint);
        Assert.Contains("export AWS_DEFAULT_REGION=eu-west-1", hint);
    }

    [Fact]
    public void The_secret_stays_out_of_to_string() =>
        Assert.DoesNotContain("env-secret", new ApiCredentials("AKIAENVIRONMENT00001", "env-secret").ToString());

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
