using System.Net;
using System.Net.Sockets;
using System.Text;
using Elbe.EndToEnd.Tests.Network;

namespace Elbe.EndToEnd.Tests.Infrastructure;

/// <summary>
/// `elbe serve` as a process of its own (<see cref="ElbeProcess"/>) with one listener of each kind on the event
/// loops: an ALB HTTP listener on port 8080 that answers 200 "fine" itself, and an NLB TCP listener that relays to an
/// echo target in this process, which greets every connection with "echo". Started once both listeners serve.
/// </summary>
public sealed class TwoListenerElbe : IAsyncDisposable
{
    public const int HttpPort = 8080;

    private readonly TcpEchoTarget _target;
    private readonly string _directory;

    private TwoListenerElbe(TcpEchoTarget target, string directory, ElbeProcess process)
    {
        _target = target;
        _directory = directory;
        Process = process;
    }

    public ElbeProcess Process { get; }
    public IPEndPoint Http { get; private set; } = null!;
    public IPEndPoint Nlb { get; private set; } = null!;

    /// <param name="descriptorLimit">Runs it under `ulimit -n`.</param>
    public static async Task<TwoListenerElbe> StartAsync(int? descriptorLimit = null)
    {
        var target = TcpEchoTarget.Start("echo");
        var slice = LoopbackSubnets.Allocate();
        var directory = Directory.CreateTempSubdirectory("elbe-two-listeners-").FullName;
        var config = Path.Combine(directory, "elbe.yaml");
        File.WriteAllText(config, new NlbTemplate { ExtraResources = AlbWithFixedResponse }.WithTargets(target.Port).ToString());
        var server = Path.Combine(directory, "server.yaml");
        File.WriteAllText(server, "subnets:\n" + string.Concat(slice.Subnets.Select(s =>
            $"  - {{ SubnetId: {s.SubnetId}, AvailabilityZone: {s.ZoneName}, CidrBlock: {s.Cidr} }}\n")));
        var process = ElbeProcess.Start(
            ["serve", "--config", config, "--server-config", server, "--data", Path.Combine(directory, "data"), "--api", slice.ApiEndpoint],
            descriptorLimit: descriptorLimit);
        var elbe = new TwoListenerElbe(target, directory, process);
        try
        {
            await elbe.WaitForListenersAsync(slice);
            return elbe;
        }
        catch
        {
            await elbe.DisposeAsync();
            throw;
        }
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

    /// <summary>The first line the NLB's target sends on a new connection through it.</summary>
    public static async Task<string> NlbGreetingAsync(IPEndPoint nlb)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(nlb);
        using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await reader.ReadLineAsync(deadline.Token) ?? "";
    }

    /// <summary>Each listener's node address: the two load balancers take .4 and .5 of subnet a, in either order.</summary>
    private async Task WaitForListenersAsync(LoopbackSlice slice)
    {
        var nodes = new[] { IPAddress.Parse($"127.{slice.Octet}.1.4"), IPAddress.Parse($"127.{slice.Octet}.1.5") };
        IPEndPoint? http = null, nlb = null;
        await Eventually.TrueAsync(async () =>
        {
            Process.AssertRunning();
            foreach (var node in nodes)
            {
                http ??= await AnswersAsync(new IPEndPoint(node, HttpPort));
                nlb ??= await AnswersAsync(new IPEndPoint(node, NlbTemplate.ListenerPort));
            }
            return http is not null && nlb is not null;
        }, () => $"elbe's listeners never answered:\n{Process.Output}", TimeSpan.FromSeconds(60));
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
        }, () => $"The NLB never relayed to its target:\n{Process.Output}", TimeSpan.FromSeconds(30));
        Http = http!;
        Nlb = nlb!;
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

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        await _target.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
