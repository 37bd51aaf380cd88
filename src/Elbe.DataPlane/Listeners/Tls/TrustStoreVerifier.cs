using System.Collections.Frozen;
using System.Security.Cryptography.X509Certificates;
using Elbe.Model.Resources;

namespace Elbe.DataPlane.Listeners.Tls;

/// <summary>
/// Checks a client certificate against a trust store in verify mode: it must chain to one of the store's CA
/// certificates, none of the chain's certificates may be revoked by one of the store's lists, and (unless the
/// listener ignores expiry) all must be within their validity. Built per listener snapshot.
/// </summary>
public sealed class TrustStoreVerifier
{
    private readonly X509Certificate2Collection _authorities;
    private readonly FrozenSet<string> _revokedSerials;
    private readonly bool _ignoreExpiry;

    private TrustStoreVerifier(X509Certificate2Collection authorities, FrozenSet<string> revokedSerials, bool ignoreExpiry)
    {
        _authorities = authorities;
        _revokedSerials = revokedSerials;
        _ignoreExpiry = ignoreExpiry;
    }

    /// <summary>The trust store's CA certificates.</summary>
    public X509Certificate2Collection Authorities => _authorities;

    /// <summary>Null when the trust store holds no usable CA certificate: every client is then refused.</summary>
    public static TrustStoreVerifier? From(TrustStore trustStore, bool ignoreExpiry)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPem(trustStore.CaCertificatesBundle);
        if (authorities.Count == 0) return null;
        var revoked = trustStore.Revocations.SelectMany(r => r.RevokedSerialNumbers).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        return new TrustStoreVerifier(authorities, revoked, ignoreExpiry);
    }

    /// <param name="presented">The certificates the client sent besides its leaf (its intermediates).</param>
    public bool Trusts(X509Certificate2 leaf, X509Certificate2Collection presented)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(_authorities);
        policy.ExtraStore.AddRange(presented);
        // Intermediate CAs in the bundle must help build the chain too, not only anchor it.
        policy.ExtraStore.AddRange(_authorities);
        // Revocation is the store's own lists, checked below; nothing is fetched during a handshake.
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        if (_ignoreExpiry) policy.VerificationFlags |= X509VerificationFlags.IgnoreNotTimeValid;
        if (!chain.Build(leaf)) return false;
        if (_revokedSerials.Count == 0) return true;
        foreach (var element in chain.ChainElements)
            if (_revokedSerials.Contains(element.Certificate.SerialNumber)) return false;
        return true;
    }
}
