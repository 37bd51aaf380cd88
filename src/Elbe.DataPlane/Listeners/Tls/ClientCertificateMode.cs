namespace Elbe.DataPlane.Listeners.Tls;

/// <summary>A listener's MutualAuthentication mode.</summary>
public enum ClientCertificateMode
{
    Off,
    /// <summary>Any client certificate is accepted and forwarded whole in X-Amzn-Mtls-Clientcert.</summary>
    Passthrough,
    /// <summary>The client must present a certificate the trust store vouches for; its details are forwarded.</summary>
    Verify,
}
