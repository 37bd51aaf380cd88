using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Net.Security;
using System.Security.Authentication;
using Elbe.Model.Security;

namespace Elbe.DataPlane.Listeners.Tls;

/// <summary>
/// A security policy as the TLS stack takes it: the protocol versions and the cipher suites (OpenSSL on Linux
/// honours <see cref="CipherSuitesPolicy"/>), built once per policy name.
/// </summary>
public sealed class NegotiationPolicy
{
    private static readonly ConcurrentDictionary<string, NegotiationPolicy> ByName = new(StringComparer.Ordinal);

    /// <summary>Every cipher any policy names, for the OpenSSL spelling of what a handshake negotiated.</summary>
    private static readonly FrozenDictionary<TlsCipherSuite, string> CipherNames = SslPolicies.All
        .SelectMany(p => p.Ciphers)
        .DistinctBy(c => c.Suite)
        .ToFrozenDictionary(c => c.Suite, c => c.Name);

    private NegotiationPolicy(SslPolicy policy)
    {
        Name = policy.Name;
        Protocols = policy.Protocols.Aggregate(SslProtocols.None, (all, name) => all | ProtocolOf(name));
        // Windows' TLS stack takes no per-connection cipher list; there the platform's own list applies.
        CipherSuites = OperatingSystem.IsWindows() ? null : new CipherSuitesPolicy(policy.Ciphers.Select(c => c.Suite));
        ServerCipherSuites = ProcessTlsDefaults.Matches(policy) ? null : CipherSuites;
        Tls13ServerCipherSuites = ProcessTlsDefaults.MatchesTls13(policy) ? null : ServerCipherSuites;
    }

    public string Name { get; }
    public SslProtocols Protocols { get; }
    public CipherSuitesPolicy? CipherSuites { get; }

    /// <summary>
    /// What a listener's handshakes name: null when the process's OpenSSL defaults already are this policy's
    /// ciphers (<see cref="ProcessTlsDefaults"/>), so that handshakes share a cached SSL_CTX and resume sessions.
    /// </summary>
    public CipherSuitesPolicy? ServerCipherSuites { get; }

    /// <summary>
    /// <see cref="ServerCipherSuites"/> for a client that offers TLS 1.3: null for every policy that allows TLS 1.3
    /// (they all list OpenSSL's TLS 1.3 suites in the same order). OpenSSL settles the version before the cipher,
    /// and answers a ClientHello offering TLS 1.3 in TLS 1.3 when the protocols allow it (or refuses it), so such
    /// a handshake never reaches the TLS 1.2 list where the policy and the process default differ.
    /// </summary>
    public CipherSuitesPolicy? Tls13ServerCipherSuites { get; }

    /// <summary>The listener's policy; an unknown name (the validator refuses those) falls back to the default.</summary>
    public static NegotiationPolicy For(string? policyName)
    {
        var policy = SslPolicies.Find(policyName ?? SslPolicies.DefaultPolicyName) ?? SslPolicies.Find(SslPolicies.DefaultPolicyName)!;
        return ByName.GetOrAdd(policy.Name, static (_, p) => new NegotiationPolicy(p), policy);
    }

    /// <summary>x-amzn-tls-cipher-suite: the OpenSSL name, as the policies list it.</summary>
    public static string CipherName(TlsCipherSuite suite) => CipherNames.TryGetValue(suite, out var name) ? name : suite.ToString();

    /// <summary>x-amzn-tls-version: TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3.</summary>
    public static string ProtocolName(SslProtocols protocol) => protocol switch
    {
#pragma warning disable SYSLIB0039 // TLS 1.0 and 1.1 are obsolete, but older ALB policies still allow them.
        SslProtocols.Tls => SslPolicy.Tls10,
        SslProtocols.Tls11 => SslPolicy.Tls11,
#pragma warning restore SYSLIB0039
        SslProtocols.Tls12 => SslPolicy.Tls12,
        SslProtocols.Tls13 => SslPolicy.Tls13,
        _ => protocol.ToString(),
    };

    private static SslProtocols ProtocolOf(string name) => name switch
    {
#pragma warning disable SYSLIB0039
        SslPolicy.Tls10 => SslProtocols.Tls,
        SslPolicy.Tls11 => SslProtocols.Tls11,
#pragma warning restore SYSLIB0039
        SslPolicy.Tls12 => SslProtocols.Tls12,
        SslPolicy.Tls13 => SslProtocols.Tls13,
        _ => SslProtocols.None,
    };
}
