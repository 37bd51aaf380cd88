namespace Elbe.Routing.Tls;

/// <summary>The parts of a TLS ClientHello that certificate selection (and the NLB's ALPN policy) reads.</summary>
public sealed record ClientHello(string? ServerName, ClientKeySupport KeySupport, bool OffersTls13)
{
    /// <summary>The protocols the application_layer_protocol_negotiation extension offers, in the client's order.</summary>
    public IReadOnlyList<string> AlpnProtocols { get; init; } = [];
}
