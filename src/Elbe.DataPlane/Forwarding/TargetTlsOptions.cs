using System.Net.Security;
using System.Security.Authentication;
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
        var options = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
            EnabledSslProtocols = Protocols(policy),
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
        };
        // Cipher suite lists are honoured only where the platform's TLS stack lets them be set (OpenSSL); elsewhere
        // the platform's defaults apply.
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            options.CipherSuitesPolicy = new CipherSuitesPolicy(policy.Ciphers.Select(c => c.Suite));
        return options;
    }

    private static SslProtocols Protocols(SslPolicy policy)
    {
        var protocols = SslProtocols.None;
        foreach (var name in policy.Protocols)
        {
#pragma warning disable SYSLIB0039 // The back-end policies still list TLS 1.0 and 1.1; the platform may refuse them anyway.
            protocols |= name switch
            {
                SslPolicy.Tls10 => SslProtocols.Tls,
                SslPolicy.Tls11 => SslProtocols.Tls11,
                SslPolicy.Tls12 => SslProtocols.Tls12,
                SslPolicy.Tls13 => SslProtocols.Tls13,
                _ => SslProtocols.None,
            };
#pragma warning restore SYSLIB0039
        }
        return protocols;
    }
}
