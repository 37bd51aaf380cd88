using System.Net;
using System.Net.Sockets;
using Elbe.EndToEnd.Tests.Infrastructure;

namespace Elbe.EndToEnd.Tests;

/// <summary>
/// A process short of file descriptors: the listeners stop accepting while the last eighth of the table is all that
/// is free (DescriptorHeadroom), so the runtime, which fails hard without one, still gets descriptors. Connections
/// waiting in the listen backlog keep a level-triggered listen socket readable; the event loops must then pause
/// (RelayLoop.AcceptPauseMs) instead of waking again at once for as long as the shortage lasts, and accept the
/// waiting connections once descriptors are free. Runs the real elbe.dll under `ulimit -n`, with an HTTP listener
/// (fixed response) and an NLB TCP listener (to an echo target in this process), and reads the process's
/// descriptors and CPU time from /proc while it is short.
/// </summary>
public sealed class DescriptorShortageTests
{
    private const int DescriptorLimit = 256;

    [Fact]
    public async Task Listeners_out_of_descriptors_pause_accepting_and_serve_again_once_descriptors_free()
    {
        await using var listeners = await TwoListenerElbe.StartAsync(DescriptorLimit);
        var (elbe, http, nlb) = (listeners.Process, listeners.Http, listeners.Nlb);

        // Fill the descriptor table with HTTP connections, each of which the listener accepts and holds (half a
        // request head; it accepts a connection only once its first bytes came, TCP_DEFER_ACCEPT), until the rest
        // wait in the backlog. Then NLB connections, which wait in theirs: one accepted in a moment's gap finds no
        // descriptor for its target connection and is reset, as the NLB resets a flow it cannot relay.
        var clients = new List<Socket>();
        try
        {
            var spare = DescriptorLimit - elbe.OpenDescriptors();
            for (var i = 0; i < spare + 30; i++)
            {
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                clients.Add(client);
                await client.ConnectAsync(http);
                await client.SendAsync("GET / HTTP/1.1\r\nHost: lb\r\n"u8.ToArray());
            }
            for (var i = 0; i < 30; i++)
            {
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                clients.Add(client);
                try
                {
                    await client.ConnectAsync(nlb);
                }
                catch (SocketException)
                {
                    // Reset as described above.
                }
            }
            await Eventually.TrueAsync(() => elbe.Output.Contains("accepting paused", StringComparison.Ordinal),
                $"Elbe never reported that it paused accepting; it may never have run out of descriptors:\n{elbe.Output}", TimeSpan.FromSeconds(20));

            // Still short (the clients hold their connections): a loop woken at once by the readable listen socket
            // would burn a CPU's worth of time here; pausing, the process is nearly idle.
            var before = elbe.CpuSeconds();
            await Task.Delay(TimeSpan.FromSeconds(2));
            var spent = elbe.CpuSeconds() - before;
            Assert.True(spent < 0.6, $"Elbe spent {spent:F2} s of CPU in 2 s while out of descriptors: its loops spin on the listen sockets.");
            // Short, but not out: the listeners left the last eighth of the table (32) to the runtime.
            var open = elbe.OpenDescriptors();
            Assert.InRange(open, DescriptorLimit - 32 - 8, DescriptorLimit - 8);
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }

        // Descriptors free again: both listeners accept and serve new connections.
        using var httpClient = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var lastError = "";
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                using var response = await httpClient.GetAsync($"http://{http}/");
                var body = await response.Content.ReadAsStringAsync();
                lastError = $"{(int)response.StatusCode} {body}";
                return response.StatusCode == HttpStatusCode.OK && body == "fine";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                lastError = e.ToString();
                return false;
            }
        }, () => $"The HTTP listener did not serve again after descriptors were freed ({lastError}):\n{elbe.Output}", TimeSpan.FromSeconds(20));
        elbe.OpenDescriptors();
        Assert.Equal("echo", await TwoListenerElbe.NlbGreetingAsync(nlb));
        Assert.Equal(0, await elbe.StopAsync());
    }
}
