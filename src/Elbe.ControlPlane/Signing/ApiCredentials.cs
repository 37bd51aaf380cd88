using System.Collections;
using System.Security.Cryptography;
using System.Text;
using Elbe.Model.Identifiers;

namespace Elbe.ControlPlane.Signing;

/// <summary>
/// The access key pair the API accepts, and the account its requests act in. Comes from ELBE_ACCESS_KEY_ID and
/// ELBE_SECRET_ACCESS_KEY, or else from <c>&lt;data&gt;/credentials</c>, generated on first start. That file is in
/// the AWS shared-credentials format, so the CLI can read it directly through AWS_SHARED_CREDENTIALS_FILE.
/// </summary>
public sealed record ApiCredentials(string AccessKeyId, string SecretAccessKey, string AccountId = Arns.DefaultAccountId)
{
    public const string AccessKeyIdVariable = "ELBE_ACCESS_KEY_ID";
    public const string SecretAccessKeyVariable = "ELBE_SECRET_ACCESS_KEY";
    public const string FileName = "credentials";

    private const string AccessKeyIdField = "aws_access_key_id";
    private const string SecretAccessKeyField = "aws_secret_access_key";
    private const string AccountIdField = "aws_account_id";
    private const string KeyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// <summary>True when this pair was created (and saved) by the call that returned it.</summary>
    public bool Generated { get; init; }

    /// <summary>The credentials file the pair was read from or written to; null when it came from the environment.</summary>
    public string? FilePath { get; init; }

    public static ApiCredentials Resolve(string dataDirectory, IDictionary environment)
    {
        var id = Variable(environment, AccessKeyIdVariable);
        var secret = Variable(environment, SecretAccessKeyVariable);
        // Half a pair is almost surely a mistake; falling back to the file would answer it with puzzling signature errors.
        if ((id is null) != (secret is null))
            throw new InvalidOperationException(
                $"{(id is null ? SecretAccessKeyVariable : AccessKeyIdVariable)} is set but {(id is null ? AccessKeyIdVariable : SecretAccessKeyVariable)} is not; set both or neither.");
        if (id is not null && secret is not null) return new ApiCredentials(id, secret);

        var path = Path.Combine(dataDirectory, FileName);
        return File.Exists(path) ? Read(path) : Create(path);
    }

    /// <summary>A fresh pair shaped like AWS's: AKIA and 16 uppercase alphanumerics; a 40-character secret.</summary>
    public static ApiCredentials Generate() => new(
        "AKIA" + RandomNumberGenerator.GetString(KeyAlphabet, 16),
        RandomNumberGenerator.GetString(SecretAlphabet, 40))
    { Generated = true };

    /// <summary>What <c>elbe serve</c> prints so the user can point the AWS CLI (or boto3) at the API.</summary>
    public string UsageHint(string apiEndpoint, string region = "us-east-1")
    {
        var text = new StringBuilder();
        if (FilePath is null)
        {
            text.AppendLine($"API credentials: access key {AccessKeyId} (from {AccessKeyIdVariable}/{SecretAccessKeyVariable}). To use the AWS CLI:");
            text.AppendLine($"  export AWS_ACCESS_KEY_ID=\"${AccessKeyIdVariable}\"");
            text.AppendLine($"  export AWS_SECRET_ACCESS_KEY=\"${SecretAccessKeyVariable}\"");
        }
        else
        {
            text.AppendLine($"API credentials: access key {AccessKeyId} ({(Generated ? "generated into" : "from")} {FilePath}). To use the AWS CLI:");
            text.AppendLine($"  export AWS_ACCESS_KEY_ID={AccessKeyId}");
            text.AppendLine($"  export AWS_SECRET_ACCESS_KEY='{SecretAccessKey}'");
            text.AppendLine($"  (or: export AWS_SHARED_CREDENTIALS_FILE={FilePath})");
        }
        text.AppendLine($"  export AWS_DEFAULT_REGION={region}");
        text.Append($"  aws elbv2 describe-load-balancers --endpoint-url http://{apiEndpoint}");
        return text.ToString();
    }

    /// <summary>The secret stays out of logs and test output.</summary>
    public override string ToString() => $"ApiCredentials {{ AccessKeyId = {AccessKeyId}, AccountId = {AccountId} }}";

    private static string? Variable(IDictionary environment, string name) =>
        environment[name] is string { Length: > 0 } value ? value.Trim() : null;

    private static ApiCredentials Read(string path)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';' or '[') continue;
            var eq = line.IndexOf('=');
            if (eq > 0) fields[line[..eq].Trim()] = line[(eq + 1)..].Trim();
        }
        if (!fields.TryGetValue(AccessKeyIdField, out var id) || id.Length == 0 || !fields.TryGetValue(SecretAccessKeyField, out var secret) || secret.Length == 0)
            throw new InvalidDataException($"{path} must set {AccessKeyIdField} and {SecretAccessKeyField}.");
        var account = fields.GetValueOrDefault(AccountIdField) ?? Arns.DefaultAccountId;
        if (account.Length != 12 || !account.All(char.IsAsciiDigit))
            throw new InvalidDataException($"{path}: {AccountIdField} must be 12 digits, not '{account}'.");
        return new ApiCredentials(id, secret, account) { FilePath = path };
    }

    /// <summary>
    /// Writes a new pair readable by the owner only. It goes to a temporary file first and is then moved into place
    /// without overwriting, so two servers starting on one data directory agree on a single pair.
    /// </summary>
    private static ApiCredentials Create(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var created = Generate() with { FilePath = path };
        var staging = Path.Combine(directory, $".{FileName}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using (var writer = new StreamWriter(new FileStream(staging, options)))
            {
                writer.Write($"""
                    # Elbe API credentials, generated on first start. The AWS CLI reads this file directly with
                    # AWS_SHARED_CREDENTIALS_FILE={path}
                    [default]
                    {AccessKeyIdField} = {created.AccessKeyId}
                    {SecretAccessKeyField} = {created.SecretAccessKey}

                    """);
            }
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(staging, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Move(staging, path, overwrite: false);
            return created;
        }
        catch (IOException) when (File.Exists(path))
        {
            return Read(path);
        }
        finally
        {
            File.Delete(staging);
        }
    }
}
