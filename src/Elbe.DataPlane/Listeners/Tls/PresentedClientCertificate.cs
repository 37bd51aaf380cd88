using System.Security.Cryptography.X509Certificates;
using Elbe.Routing.Tls;

namespace Elbe.DataPlane.Listeners.Tls;

/// <summary>
/// The certificate a client presented on one connection, kept in the connection's items from the handshake on;
/// the header values are computed on the first request and reused by the rest on that connection.
/// </summary>
public sealed class PresentedClientCertificate
{
    public static readonly object ItemsKey = new();

    private string? _chainPem;
    private string? _leafPem;
    private string? _subject;
    private string? _issuer;
    private string? _validity;

    /// <param name="chain">The leaf first, then what else the client sent, in its order.</param>
    public PresentedClientCertificate(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> chain)
    {
        Leaf = leaf;
        Chain = chain;
    }

    public X509Certificate2 Leaf { get; }
    public IReadOnlyList<X509Certificate2> Chain { get; }

    public string ChainPem => _chainPem ??= ClientCertificateHeaderValues.EncodedPem(Chain);
    public string LeafPem => _leafPem ??= ClientCertificateHeaderValues.EncodedPem([Leaf]);
    public string SerialNumber => Leaf.SerialNumber;
    public string Subject => _subject ??= ClientCertificateHeaderValues.Rfc2253(Leaf.SubjectName);
    public string Issuer => _issuer ??= ClientCertificateHeaderValues.Rfc2253(Leaf.IssuerName);
    public string Validity => _validity ??= ClientCertificateHeaderValues.Validity(Leaf.NotBefore, Leaf.NotAfter);
}
