using Elbe.Routing.Tls;

namespace Elbe.DataPlane.Network;

/// <summary>
/// The ALPN protocols a TLS ClientHello offers, read from the first record before the handshake consumes it.
/// NLB answers a client whose list shares nothing with its policy without ALPN (fact sheet 2.5), where the TLS
/// stack on its own would end the handshake with no_application_protocol; knowing the offer avoids that.
/// </summary>
public static class ClientAlpnOffer
{
    /// <summary>The offered protocol names; null when the bytes are not a whole ClientHello (then nothing is assumed).</summary>
    public static IReadOnlyList<string>? Read(ReadOnlySpan<byte> record) =>
        ClientHelloParser.TryParse(record, out var hello) == ClientHelloParseStatus.Parsed ? hello!.AlpnProtocols : null;
}
