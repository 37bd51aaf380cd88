using System.Net;
using System.Net.Sockets;
using Elbe.DataPlane.Targets;
using Elbe.Routing.Flows;
using Elbe.Routing.Targets;

namespace Elbe.DataPlane.Network;

/// <summary>
/// One NLB listener as its relays see it: where flows go and how long they may idle. Immutable and swapped
/// whole; a flow keeps the target it was given, so a swap affects new flows only.
/// </summary>
/// <param name="Tls">A TLS listener's termination; null for TCP and UDP.</param>
/// <param name="Group">The default action's target group; null when it is not known to the data plane (flows are reset).</param>
public sealed record NetworkListenerSnapshot(
    string ListenerArn,
    string Description,
    TargetGroupRuntime? Group,
    NetworkTargetGroupSettings GroupSettings,
    TimeSpan TcpIdleTimeout,
    TimeSpan UdpIdleTimeout,
    IReadOnlyDictionary<IPAddress, string> NodeZones,
    FlowTargetPicker Picker,
    NetworkTls? Tls = null)
{
    /// <summary>NLB's fixed UDP flow lifetime without traffic (fact sheet 2.4).</summary>
    public static readonly TimeSpan DefaultUdpIdleTimeout = TimeSpan.FromSeconds(120);

    /// <summary>What the node in <paramref name="node"/>'s zone may route to; empty without a group.</summary>
    public TargetCandidateSet Candidates(IPAddress node) =>
        Group?.Selector.CandidatesFor(NodeZones.GetValueOrDefault(node)) ?? TargetCandidateSet.Empty;

    /// <summary>
    /// The target of a new flow from <paramref name="client"/> to <paramref name="node"/>. TCP passes a random
    /// <paramref name="sequence"/> in place of the initial sequence number AWS hashes; source_ip stickiness
    /// hashes the client address alone.
    /// </summary>
    public TargetState? Pick(byte protocol, IPEndPoint client, IPEndPoint node, ulong sequence)
    {
        Span<byte> source = stackalloc byte[16];
        client.Address.TryWriteBytes(source, out var sourceLength);
        return Pick(protocol, source[..sourceLength], client.Port, node, sequence);
    }

    /// <summary><see cref="Pick(byte, IPEndPoint, IPEndPoint, ulong)"/> with the client's address as bytes, as accept(2) gives it.</summary>
    public TargetState? Pick(byte protocol, ReadOnlySpan<byte> clientAddress, int clientPort, IPEndPoint node, ulong sequence)
    {
        var candidates = Candidates(node.Address);
        if (candidates.IsEmpty) return null;
        Span<byte> destination = stackalloc byte[16];
        node.Address.TryWriteBytes(destination, out var destinationLength);
        var hash = GroupSettings.SourceIpStickiness
            ? FlowHash.OfSource(clientAddress)
            : FlowHash.Of(protocol, clientAddress, clientPort, destination[..destinationLength], node.Port, sequence);
        return Picker.Pick(candidates, hash);
    }

    /// <summary>
    /// A flow to this target must be cut now: it is unhealthy, the group says so (at once, or once its unhealthy.draining
    /// interval is over and it reads unhealthy), and the node is not failing open.
    /// </summary>
    public bool MustTerminate(TargetState target, IPAddress node) =>
        (GroupSettings.TerminateWhenUnhealthy || GroupSettings.TerminateAfterUnhealthyDraining)
        && target.Health.State == Routing.Health.TargetHealthStates.Unhealthy
        && !Candidates(node).IsFailingOpen;

    public static AddressFamily FamilyOf(TargetState target) =>
        IPAddress.TryParse(target.Address, out var address) ? address.AddressFamily : AddressFamily.InterNetwork;
}
