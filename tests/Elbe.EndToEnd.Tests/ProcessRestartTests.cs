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
        await using var elbe = await StartElbeAsync(userSetting: null);

        Assert.Contains($"{Variable}=0", elbe.Environment());
        Assert.DoesNotContain("doublemapper", elbe.Maps());
        Assert.Equal(0, await elbe.StopAsync());
    }

    [Fact]
    public async Task A_users_own_setting_is_kept()
    {
        await using var elbe = await StartElbeAsync(userSetting: "1");

        Assert.Contains($"{Variable}=1", elbe.Environment());
        Assert.DoesNotContain($"{Variable}=0", elbe.Environment());
        Assert.Contains("doublemapper", elbe.Maps());
        Assert.Equal(0, await elbe.StopAsync());
    }

    /// <summary>`dotnet elbe.dll demo-targets --ports P` with the user's setting of the variable (null: none), once it answers on P.</summary>
    private static async Task<ElbeProcess> StartElbeAsync(string? userSetting)
    {
        var port = ClosedPort.Find();
        var elbe = ElbeProcess.Start(["demo-targets", "--ports", port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            new Dictionary<string, string?> { [Variable] = userSetting });
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            await Eventually.TrueAsync(async () =>
            {
                Assert.False(elbe.HasExited, $"elbe exited before it served:\n{elbe.Output}");
                try
                {
                    using var response = await client.GetAsync($"http://127.0.0.1:{port}/");
                    return response.IsSuccessStatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            }, () => $"the demo target never answered within 30 s:\n{elbe.Output}", TimeSpan.FromSeconds(30));
            return elbe;
        }
        catch
        {
            await elbe.DisposeAsync();
            throw;
        }
    }
}
