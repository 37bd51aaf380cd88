using System.Collections.Immutable;
using Elbe.Model.Resources;

namespace Elbe.Model.Security;

/// <summary>
/// A predefined ELB security policy: the TLS versions a listener accepts and its ciphers in server preference
/// order. Protocol names are the API's (<c>TLSv1</c> … <c>TLSv1.3</c>).
/// </summary>
public sealed record SslPolicy(
    string Name,
    ImmutableArray<string> Protocols,
    ImmutableArray<SslCipher> Ciphers,
    ImmutableArray<LoadBalancerType> SupportedLoadBalancerTypes)
{
    public const string Tls10 = "TLSv1";
    public const string Tls11 = "TLSv1.1";
    public const string Tls12 = "TLSv1.2";
    public const string Tls13 = "TLSv1.3";

    public bool Supports(string protocol) => Protocols.Contains(protocol);

    public bool Supports(LoadBalancerType type) => SupportedLoadBalancerTypes.Contains(type);

    /// <summary>TLS 1.3 policies switch an ALB's own connections to targets to the TLS 1.3 back-end policy.</summary>
    public bool IsTls13Policy => Name.StartsWith("ELBSecurityPolicy-TLS13-", StringComparison.Ordinal);
}
