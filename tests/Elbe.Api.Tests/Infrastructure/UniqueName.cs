namespace Elbe.Api.Tests.Infrastructure;

public static class UniqueName
{
    private static int counter;

    /// <summary>A name valid for load balancers and target groups (≤ 32 chars, alphanumerics and hyphens), unique in this process.</summary>
    public static string Next(string stem = "t") => $"{stem}-{Environment.ProcessId % 10000}-{Interlocked.Increment(ref counter)}";
}
