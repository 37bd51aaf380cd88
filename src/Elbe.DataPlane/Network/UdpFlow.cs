using Elbe.DataPlane.Network.EventLoop;
using Elbe.Routing.Targets;

namespace Elbe.DataPlane.Network;

/// <summary>
/// One UDP 5-tuple: a connected socket toward the target, so the target's answers come back to this flow alone
/// and are sent on to the client from the node's address. Lives on its listener's <see cref="RelayLoop"/>.
/// </summary>
internal sealed class UdpFlow : IReadiness
{
    private long _lastActivity = Environment.TickCount64;

    public UdpFlow(UdpClientKey key, byte[] client, int target, TargetState targetState, UdpNodeSocket listener)
    {
        Key = key;
        Client = client;
        Target = target;
        TargetState = targetState;
        Listener = listener;
        ListedActivity = LastActivity;
    }

    /// <summary>The client's address and port: the flow table key.</summary>
    public UdpClientKey Key { get; }
    /// <summary>The client's sockaddr as received: where answers go.</summary>
    public byte[] Client { get; }
    /// <summary>The connected socket toward the target; closed by the relay when the flow ends.</summary>
    public int Target { get; }
    public TargetState TargetState { get; }
    /// <summary>The node socket the client's datagrams arrive on, and answers leave from.</summary>
    public UdpNodeSocket Listener { get; }
    /// <summary>This flow's place among the sockets its loop watches.</summary>
    public int Slot { get; set; } = -1;
    /// <summary>Any datagram either way.</summary>
    public long LastActivity => Interlocked.Read(ref _lastActivity);
    /// <summary>The activity the flow table last ordered this flow by (client datagrams move it; answers do not).</summary>
    public long ListedActivity { get; set; }
    /// <summary>The flow's place in its table's recency list, owned by the table.</summary>
    public LinkedListNode<UdpFlow>? Node { get; set; }

    public void Touch() => Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);

    public void OnReady(uint events) => Listener.Relay.Answer(this);
}
