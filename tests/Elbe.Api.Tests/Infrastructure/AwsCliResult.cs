using System.Text.Json;

namespace Elbe.Api.Tests.Infrastructure;

/// <summary>What one <c>aws</c> run printed and returned; <see cref="Json"/> parses stdout (the CLI ran with --output json).</summary>
public sealed record AwsCliResult(int ExitCode, string Stdout, string Stderr, IReadOnlyList<string> Arguments)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>stdout as JSON; an empty object for commands that print nothing.</summary>
    public JsonElement Json
    {
        get
        {
            if (string.IsNullOrWhiteSpace(Stdout)) return JsonDocument.Parse("{}").RootElement;
            try { return JsonDocument.Parse(Stdout).RootElement; }
            catch (JsonException error)
            {
                throw new Xunit.Sdk.XunitException($"aws {string.Join(' ', Arguments)} printed no JSON ({error.Message}): {Stdout}\n{Stderr}");
            }
        }
    }

    public AwsCliResult AssertSuccess()
    {
        Assert.True(Succeeded, $"aws {string.Join(' ', Arguments)} exited {ExitCode}:\n{Stderr}\n{Stdout}");
        return this;
    }

    /// <summary>Asserts the CLI's <c>An error occurred (Code) when calling …</c> line for this code.</summary>
    public AwsCliResult AssertError(string code)
    {
        Assert.True(!Succeeded, $"aws {string.Join(' ', Arguments)} succeeded but {code} was expected:\n{Stdout}");
        Assert.True(Stderr.Contains($"An error occurred ({code})", StringComparison.Ordinal),
            $"aws {string.Join(' ', Arguments)} should fail with {code} but printed:\n{Stderr}");
        return this;
    }

    public override string ToString() => $"exit {ExitCode}\n{Stdout}\n{Stderr}";
}
