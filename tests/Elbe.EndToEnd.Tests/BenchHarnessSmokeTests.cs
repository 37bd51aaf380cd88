using System.Diagnostics;
using System.Globalization;
using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests;

/// <summary>
/// The benchmark harness (bench/run.sh) in quick mode: one scenario, one second, Elbe alone, run from the elbe.dll
/// this suite builds. It proves the harness still drives Elbe end to end; no number is asserted except that
/// requests went through and none failed. run.sh installs nginx and wrk from Debian packages if they are missing.
/// </summary>
public sealed class BenchHarnessSmokeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Quick_keepalive_run_through_Elbe_reports_requests_and_no_errors()
    {
        var repository = RepositoryRoot();
        var scratch = Directory.CreateTempSubdirectory("elbe-bench-smoke-");
        try
        {
            var report = Path.Combine(scratch.FullName, "quick.md");
            var start = new ProcessStartInfo("bash")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
                     {
                         Path.Combine(repository, "bench", "run.sh"), "--quick", "--scenarios", "keepalive", "--proxies", "elbe", "--skip-build",
                         "--elbe-dll", Path.Combine(AppContext.BaseDirectory, "elbe.dll"), "--report", report,
                     })
                start.ArgumentList.Add(argument);
            start.Environment["BENCH_RUN_DIR"] = Path.Combine(scratch.FullName, "run");
            // Elbe, its API and the targets in this suite's own loopback slice, clear of other suites and of a benchmark.
            start.Environment["BENCH_LOOPBACK_OCTET"] = LoopbackSubnets.Allocate().Octet.ToString(CultureInfo.InvariantCulture);

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using (var deadline = new CancellationTokenSource(Timeout))
            {
                try
                {
                    await process.WaitForExitAsync(deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    Assert.Fail($"bench/run.sh did not finish within {Timeout}:\n{await errors}");
                }
            }
            var log = await output + await errors;
            Assert.True(process.ExitCode == 0, $"bench/run.sh exited {process.ExitCode}:\n{log}");

            // | **Elbe** | req/s | p50 ms | p99 ms | errors | ...
            var row = File.ReadAllLines(report).Single(line => line.StartsWith("| **Elbe** |", StringComparison.Ordinal)).Split('|');
            Assert.True(double.Parse(row[2], CultureInfo.InvariantCulture) > 0, $"no requests went through Elbe:\n{log}");
            Assert.Equal("0", row[5].Trim());
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "bench", "run.sh"))) return directory.FullName;
        throw new InvalidOperationException($"No bench/run.sh above {AppContext.BaseDirectory}");
    }
}
