using System.Net.Security;
using Elbe.DataPlane.Listeners.Tls;
using Elbe.Model.Security;

namespace Elbe.DataPlane.Forwarding;

/// <summary>
/// TLS from the load balancer to HTTPS targets (fact sheet 1.10, 0.4): the back-end security policy's protocols and
/// ciphers, and no validation of the target's certificate — ALB accepts self-signed and expired certificates and
/// does not check names, so a target's certificate is never a reason to fail.
/// </summary>
public static class TargetTlsOptions
{
    public static SslClientAuthenticationOptions For(SslPolicy policy)
    {
        // The same protocol and cipher translation the listeners use for their side of TLS.
        var negotiation = NegotiationPolicy.For(policy.Name);
        return new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
            EnabledSslProtocols = negotiation.Protocols,
            CipherSuitesPolicy = negotiation.CipherSuites,
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
        };
    }
}
