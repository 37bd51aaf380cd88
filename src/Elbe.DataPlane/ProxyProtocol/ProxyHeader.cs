using System.Net;

namespace Elbe.DataPlane.ProxyProtocol;

/// <summary>
/// What a PROXY protocol header says, whichever version carried it (fact sheet 3): the command, the transport,
/// and the original source and destination. v1 has no LOCAL command and no TLVs; v2 has both.
/// </summary>
/// <param name="Source">The client; null for LOCAL and UNKNOWN headers, whose receiver uses the real socket addresses.</param>
/// <param name="Destination">The address the client reached (the load balancer node).</param>
public sealed record ProxyHeader(ProxyCommand Command, ProxyTransport Transport, IPEndPoint? Source, IPEndPoint? Destination, IReadOnlyList<ProxyTlv> Tlvs)
{
    /// <summary>A PROXY header for a relayed connection or datagram flow, without TLVs.</summary>
    public static ProxyHeader For(ProxyTransport transport, IPEndPoint source, IPEndPoint destination) =>
        new(ProxyCommand.Proxy, transport, source, destination, []);

    /// <summary>A LOCAL header: the load balancer's own connection (health checks), no client information.</summary>
    public static readonly ProxyHeader Local = new(ProxyCommand.Local, ProxyTransport.Unspecified, null, null, []);
}

public enum ProxyCommand
{
    /// <summary>v2 command 0x0: the connection is the proxy's own; the receiver keeps the socket's addresses.</summary>
    Local = 0,
    /// <summary>v2 command 0x1, and every v1 header.</summary>
    Proxy = 1,
}

/// <summary>The low nibble of the v2 family byte.</summary>
public enum ProxyTransport
{
    Unspecified = 0,
    Stream = 1,
    Datagram = 2,
}

/// <summary>A v2 type-length-value extension (ALPN 0x01, AUTHORITY 0x02, AWS 0xEA, ...); unknown types are kept, not interpreted.</summary>
public sealed record ProxyTlv(byte Type, byte[] Value)
{
    public const byte Alpn = 0x01;
    public const byte Authority = 0x02;
    public const byte Crc32c = 0x03;
    public const byte Noop = 0x04;
    public const byte UniqueId = 0x05;
    public const byte Aws = 0xEA;
}

/// <summary>How far a parser got with the bytes it was given.</summary>
public enum ProxyParseStatus
{
    Complete,
    /// <summary>A valid prefix: read more bytes and try again.</summary>
    NeedMoreData,
    Invalid,
}
