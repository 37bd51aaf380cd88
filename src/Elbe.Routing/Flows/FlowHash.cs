using System.Buffers.Binary;

namespace Elbe.Routing.Flows;

/// <summary>
/// The hashes NLB selects a target by (fact sheet 2.2). Addresses are passed as their network-order bytes so
/// the UDP path can hash straight from a received socket address without building an IPEndPoint.
/// </summary>
public static class FlowHash
{
    public const byte Tcp = 6;
    public const byte Udp = 17;

    /// <summary>
    /// A flow: protocol and both ends. For TCP the caller adds the connection's initial sequence number as
    /// <paramref name="sequence"/>, which AWS hashes too, so two connections from one client spread.
    /// </summary>
    public static ulong Of(byte protocol, ReadOnlySpan<byte> sourceAddress, int sourcePort, ReadOnlySpan<byte> destinationAddress, int destinationPort, ulong sequence = 0)
    {
        Span<byte> ports = stackalloc byte[5];
        ports[0] = protocol;
        BinaryPrimitives.WriteUInt16BigEndian(ports[1..], (ushort)sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(ports[3..], (ushort)destinationPort);
        var hash = StableHash.Start(0);
        hash = StableHash.Add(hash, ports);
        hash = StableHash.Add(hash, sourceAddress);
        hash = StableHash.Add(hash, destinationAddress);
        hash = StableHash.Add(hash, sequence);
        return StableHash.Finish(hash);
    }

    /// <summary><c>stickiness.type = source_ip</c>: the client address alone, so every flow of a client agrees on every node.</summary>
    public static ulong OfSource(ReadOnlySpan<byte> sourceAddress) => StableHash.Of(sourceAddress);
}
