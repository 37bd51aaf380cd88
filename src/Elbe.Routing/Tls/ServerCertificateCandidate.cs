namespace Elbe.Routing.Tls;

/// <summary>
/// What certificate selection needs to know about one of a listener's certificates: the host names it covers
/// (dNSName SANs, or the subject CN when it has none; wildcards as "*.example.com") and how it compares to others.
/// </summary>
public sealed record ServerCertificateCandidate(
    IReadOnlyList<string> DnsNames,
    TlsKeyAlgorithm KeyAlgorithm,
    int KeySize,
    DateTimeOffset NotAfter);
