using System.Diagnostics;
using System.Runtime.InteropServices;
using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests;

/// <summary>
/// The `elbe` command restarts itself in place with the runtime's W^X protection off (Startup/WriteXorExecute), unless
/// the user chose a setting. Runs the real elbe.dll as a process (its demo-targets verb: a listener and nothing else)
/// and reads what the kernel says of it: the same process id, the variable in its environment, no double-mapped code.
/// </summary>
public sealed class ProcessRestartTests
{
    private const string Variable = "DOTNET_EnableWriteXorExecute";

    [Fact]
    public async Task Elbe_restarts_in_place_with_write_xor_execute_off_and_still_serves_and_stops()
    {
        await using var elbe = await ElbeProcess.StartAsync(userSetting: null);

        Assert.Contains($"{Variable}=0", elbe.Environment());
        Assert.DoesNotContain("doublemapper", elbe.Maps());
        Assert.Equal(0, await elbe.StopAsync());
    }

    [Fact]
    public async Task A_users_own_setting_is_kept()
    {
        await using var elbe = await ElbeProcess.StartAsync(userSetting: "1");

        Assert.Contains($"{Variable}=1", elbe.Environment());
        Assert.DoesNotContain($"{Variable}=0", elbe.Environment());
        Assert.Contains("doublemapper", elbe.Maps());
        Assert.Equal(0, await elbe.StopAsync());
    }

    /// <summary>`dotnet elbe.dll demo-targets --ports P`, answering on P; the process object is the one we started.</summary>
    private sealed class ElbeProcess : IAsyncDisposable
    {
        private readonly Process process;
        private readonly Task<string> output;

        private ElbeProcess(Process process)
        {
            this.process = process;
            output = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync())
                .ContinueWith(t => string.Concat(t.Result), TaskScheduler.Default);
        }

        public static async Task<ElbeProcess> StartAsync(string? userSetting)
        {
            var port = ClosedPort.Find();
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "elbe.dll"), "demo-targets", "--ports", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
                start.ArgumentList.Add(argument);
            start.Environment.Remove(Variable);
            if (userSetting is not null) start.Environment[Variable] = userSetting;
            var elbe = new ElbeProcess(Process.Start(start)!);
            try
            {
                using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
                for (var attempt = 0; ; attempt++)
                {
                    Assert.False(elbe.process.HasExited, "elbe exited before it served");
                    try
                    {
                        using var response = await client.GetAsync($"http://127.0.0.1:{port}/");
                        if (response.IsSuccessStatusCode) break;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException && attempt < 300)
                    {
                    }
                    Assert.True(attempt < 300, "the demo target never answered within 30 s");
                    await Task.Delay(100);
                }
                return elbe;
            }
            catch
            {
                await elbe.DisposeAsync();
                throw;
            }
        }

        // Read by the process id we started: a restart that forked instead of exec'ing would show the old process here.
        public string Environment() => File.ReadAllText($"/proc/{process.Id}/environ").Replace('\0', '\n');
        public string Maps() => File.ReadAllText($"/proc/{process.Id}/maps");

        /// <summary>SIGTERM, as a service manager stops it; the exit code once it is gone.</summary>
        public async Task<int> StopAsync()
        {
            Assert.Equal(0, Kill(process.Id, 15));
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(deadline.Token);
            return process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await output;
            process.Dispose();
        }

        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        private static extern int Kill(int pid, int signal);
    }
}
