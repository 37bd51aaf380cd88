using System.Net;
using System.Net.Sockets;
using System.Text;
using Elbe.EndToEnd.Tests.Infrastructure;
using Elbe.EndToEnd.Tests.Network;

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
    private const int HttpPort = 8080;

    [Fact]
    public async Task Listeners_out_of_descriptors_pause_accepting_and_serve_again_once_descriptors_free()
    {
        await using var target = TcpEchoTarget.Start("echo");
        var slice = LoopbackSubnets.Allocate();
        using var directory = new TempDirectory();
        var template = new NlbTemplate { ExtraResources = AlbWithFixedResponse }.WithTargets(target.Port);
        await using var elbe = StartElbe(directory.Path, template.ToString(), slice);
        var (http, nlb) = await WaitForListenersAsync(elbe, slice);

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
        Assert.Equal("echo", await NlbGreetingAsync(nlb));
        Assert.Equal(0, await elbe.StopAsync());
    }

    /// <summary>An ALB in the NLB's subnets whose listener answers 200 "fine" itself: it needs no descriptor beyond the client's.</summary>
    private const string AlbWithFixedResponse = """
          Alb:
            Type: AWS::ElasticLoadBalancingV2::LoadBalancer
            Properties:
              Name: Alb
              Type: application
              Subnets: [subnet-0000000000000000a, subnet-0000000000000000b]
          Web:
            Type: AWS::ElasticLoadBalancingV2::Listener
            Properties:
              LoadBalancerArn: !Ref Alb
              Port: 8080
              Protocol: HTTP
              DefaultActions:
                - Type: fixed-response
                  FixedResponseConfig: { StatusCode: '200', ContentType: text/plain, MessageBody: fine }

        """;

    private static async Task<string> NlbGreetingAsync(IPEndPoint nlb)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(nlb);
        using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await reader.ReadLineAsync(deadline.Token) ?? "";
    }

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("elbe-descriptors-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    /// <summary>`elbe serve` of <paramref name="template"/> on the slice's subnets, under `ulimit -n`.</summary>
    private static ElbeProcess StartElbe(string directory, string template, LoopbackSlice slice)
    {
        var config = Path.Combine(directory, "elbe.yaml");
        File.WriteAllText(config, template);
        var server = Path.Combine(directory, "server.yaml");
        File.WriteAllText(server, "subnets:\n" + string.Concat(slice.Subnets.Select(s =>
            $"  - {{ SubnetId: {s.SubnetId}, AvailabilityZone: {s.ZoneName}, CidrBlock: {s.Cidr} }}\n")));
        return ElbeProcess.Start(
            ["serve", "--config", config, "--server-config", server, "--data", Path.Combine(directory, "data"), "--api", slice.ApiEndpoint],
            descriptorLimit: DescriptorLimit);
    }

    /// <summary>Each listener's node address: the two load balancers take .4 and .5 of subnet a, in either order.</summary>
    private static async Task<(IPEndPoint Http, IPEndPoint Nlb)> WaitForListenersAsync(ElbeProcess elbe, LoopbackSlice slice)
    {
        var nodes = new[] { IPAddress.Parse($"127.{slice.Octet}.1.4"), IPAddress.Parse($"127.{slice.Octet}.1.5") };
        IPEndPoint? http = null, nlb = null;
        await Eventually.TrueAsync(async () =>
        {
            elbe.AssertRunning();
            foreach (var node in nodes)
            {
                http ??= await AnswersAsync(new IPEndPoint(node, HttpPort));
                nlb ??= await AnswersAsync(new IPEndPoint(node, NlbTemplate.ListenerPort));
            }
            return http is not null && nlb is not null;
        }, () => $"elbe's listeners never answered:\n{elbe.Output}", TimeSpan.FromSeconds(60));
        // The NLB's target must be healthy (or all of them unhealthy, failing open): a greeting shows either.
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                return await NlbGreetingAsync(nlb!) == "echo";
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
            {
                return false;
            }
        }, () => $"The NLB never relayed to its target:\n{elbe.Output}", TimeSpan.FromSeconds(30));
        return (http!, nlb!);
    }

    private static async Task<IPEndPoint?> AnswersAsync(IPEndPoint endPoint)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await probe.ConnectAsync(endPoint);
            return endPoint;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
