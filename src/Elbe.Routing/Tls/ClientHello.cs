namespace Elbe.Routing.Tls;

/// <summary>The parts of a TLS ClientHello that certificate selection reads.</summary>
public sealed record ClientHello(string? ServerName, ClientKeySupport KeySupport, bool OffersTls13);
