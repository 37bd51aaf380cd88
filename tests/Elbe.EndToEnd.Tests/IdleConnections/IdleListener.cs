using System.Net;
using Elbe.DataPlane.Actions;
using Elbe.DataPlane.Listeners;
using Elbe.DataPlane.Snapshots;
using Elbe.EndToEnd.Tests.Infrastructure;
using Elbe.Model.Resources;
using Elbe.Routing.Rules;

namespace Elbe.EndToEnd.Tests.IdleConnections;

/// <summary>
/// One HTTP listener answering every request with a fixed 200 "ok", started on a loopback slice shared by these tests with idle
/// timeout and client keep-alive chosen by the test (the API's minimum client keep-alive, 60 s, is too long to wait for).
/// </summary>
public sealed class IdleListener : IAsyncDisposable
{
    public const string Body = "ok";

    // One loopback slice for every listener of these tests (the suite's slices are few), each on its own port.
    private static readonly string SharedAddress = LoopbackSubnets.Allocate().FirstNodeAddress;
    private static int lastPort = CfnTemplate.ListenerPort;

    private IdleListener(ListenerHost host, string address)
    {
        Host = host;
        Address = address;
    }

    public ListenerHost Host { get; }
    public string Address { get; }
    public int Port => Host.Port;

    public static async Task<IdleListener> StartAsync(TimeSpan idleTimeout, TimeSpan? clientKeepAlive = null)
    {
        var address = SharedAddress;
        var listener = new Listener
        {
            Arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/idle/0123456789abcdef/0123456789abcdef",
            LoadBalancerArn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/idle/0123456789abcdef",
            Port = Interlocked.Increment(ref lastPort),
            Protocol = "HTTP",
        };
        var settings = new AlbSettings { IdleTimeout = idleTimeout, ClientKeepAlive = clientKeepAlive ?? TimeSpan.FromHours(1) };
        var answer = new FixedResponseAction(new FixedResponseConfig { StatusCode = "200", ContentType = "text/plain", MessageBody = Body });
        var snapshot = new ListenerSnapshot(listener, settings, new CompiledRuleSet<IListenerAction>(answer, []), new Dictionary<IPAddress, string>());
        using var startTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var host = await ListenerHost.StartAsync([IPAddress.Parse(address)], new ListenerRuntime(snapshot), startTimeout.Token);
        return new IdleListener(host, address);
    }

    public Task<KeptAliveClient> ConnectAsync() => KeptAliveClient.ConnectAsync(Address, Port);

    /// <summary>Waits until Kestrel's HTTP state has let go of at least <paramref name="count"/> more connections than <paramref name="before"/>.</summary>
    public Task WaitForDetachesAsync(long before, int count = 1) =>
        Eventually.TrueAsync(() => Host.IdleConnections.Detaches >= before + count,
            $"Expected {count} idle connection(s) to detach; {Host.IdleConnections.Detaches - before} did.", TimeSpan.FromSeconds(10));

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
