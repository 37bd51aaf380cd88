namespace Elbe.Routing.Tls;

/// <summary>The public key algorithm of a server certificate, which decides whether a client can use it.</summary>
public enum TlsKeyAlgorithm
{
    Rsa,
    Ecdsa,
}
