using System.Net;
using System.Net.Sockets;
using Elbe.Routing.Targets;

namespace Elbe.DataPlane.Network;

/// <summary>
/// One UDP 5-tuple: a connected socket toward the target, so the target's answers come back to this flow alone
/// and are sent on to the client from the node's address.
/// </summary>
internal sealed class UdpFlow
{
    private long _lastActivity = Environment.TickCount64;

    public UdpFlow(SocketAddress client, Socket target, TargetState targetState)
    {
        Client = client;
        Target = target;
        TargetState = targetState;
        ListedActivity = LastActivity;
    }

    /// <summary>The client's address as received: the flow table key, and where answers go.</summary>
    public SocketAddress Client { get; }
    public Socket Target { get; }
    public TargetState TargetState { get; }
    /// <summary>Any datagram either way.</summary>
    public long LastActivity => Interlocked.Read(ref _lastActivity);
    /// <summary>The activity the flow table last ordered this flow by (client datagrams move it; answers do not).</summary>
    public long ListedActivity { get; set; }
    /// <summary>The flow's place in its table's recency list, owned by the table.</summary>
    public LinkedListNode<UdpFlow>? Node { get; set; }

    public void Touch() => Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);
}
