namespace Elbe.Routing.Tls;

/// <summary>Which certificate key types a client's ClientHello shows it can authenticate a server with.</summary>
public readonly record struct ClientKeySupport(bool Rsa, bool Ecdsa)
{
    /// <summary>What is assumed when the ClientHello could not be read: anything goes, preference decides.</summary>
    public static readonly ClientKeySupport Any = new(true, true);

    public bool Supports(TlsKeyAlgorithm algorithm) => algorithm == TlsKeyAlgorithm.Ecdsa ? Ecdsa : Rsa;
}
