namespace Elbe.Routing.Tls;

public enum ClientHelloParseStatus
{
    /// <summary>The first record is not complete yet: read more bytes.</summary>
    Incomplete,
    /// <summary>Not a TLS handshake record holding a ClientHello; the TLS stack will refuse it on its own.</summary>
    NotClientHello,
    Parsed,
}
