using System.Diagnostics;

namespace Elbe.Api.Tests.Infrastructure;

/// <summary>
/// Runs the real AWS CLI against an Elbe API endpoint, isolated from the user's own AWS setup: credentials only
/// from the environment given here, empty config files, no instance metadata, no pager, no retries (a failing
/// test should fail at once, not after backoff).
/// </summary>
public sealed class AwsCli(Uri endpoint, string accessKeyId = TestCredentials.AccessKeyId, string secretAccessKey = TestCredentials.SecretAccessKey,
    string region = TestCredentials.Region)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private static readonly Lazy<string> EmptyConfigFile = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), $"elbe-api-tests-empty-aws-config-{Environment.ProcessId}");
        File.WriteAllText(path, "");
        return path;
    });

    public Uri Endpoint { get; } = endpoint;

    /// <summary>
    /// The CLI to run: $ELBE_TEST_AWS_CLI, else /usr/bin/aws (Debian's awscli, as CI installs it), else the first
    /// <c>aws</c> on PATH.
    /// </summary>
    public static string Executable { get; } = Locate();

    public static bool IsInstalled => File.Exists(Executable);

    /// <summary>Runs <c>aws ARGS --endpoint-url … --region … --output json</c>, e.g. <c>RunAsync("elbv2", "describe-load-balancers")</c>.</summary>
    public Task<AwsCliResult> RunAsync(params string[] arguments) => RunAsync(arguments, DefaultTimeout);

    public async Task<AwsCliResult> RunAsync(IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var all = new List<string>(arguments) { "--endpoint-url", Endpoint.ToString().TrimEnd('/'), "--region", region, "--output", "json" };
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in all) start.ArgumentList.Add(argument);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        start.Environment["AWS_ACCESS_KEY_ID"] = accessKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = secretAccessKey;
        start.Environment["AWS_DEFAULT_REGION"] = region;
        start.Environment["AWS_CONFIG_FILE"] = EmptyConfigFile.Value;
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = EmptyConfigFile.Value;
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_PAGER"] = "";
        start.Environment["AWS_CLI_AUTO_PROMPT"] = "off";
        start.Environment["AWS_MAX_ATTEMPTS"] = "1";
        start.Environment["AWS_RETRY_MODE"] = "standard";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Executable}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"aws {string.Join(' ', all)} did not finish within {timeout.TotalSeconds} s");
        }
        return new AwsCliResult(process.ExitCode, await stdout, await stderr, all);
    }

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("ELBE_TEST_AWS_CLI") is { Length: > 0 } configured) return configured;
        const string debian = "/usr/bin/aws";
        if (File.Exists(debian)) return debian;
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, "aws");
            if (File.Exists(candidate)) return candidate;
        }
        return debian;
    }
}
