using Elbe.DataPlane.Forwarding;
using Elbe.Model.Attributes;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Elbe.DataPlane.Listeners.Tls;

/// <summary>
/// The request headers an HTTPS listener adds (fact sheet 1.6): the negotiated version and cipher when the load
/// balancer asks for them, and the client certificate in passthrough or verify mode, under the names the
/// listener's routing.http.request.*.header_name attributes give. One instance per listener snapshot.
/// </summary>
public sealed class TlsRequestHeaders
{
    private readonly bool _versionAndCipher;
    private readonly ClientCertificateMode _mode;
    private readonly string _version;
    private readonly string _cipher;
    private readonly string _clientCert;
    private readonly string _serial;
    private readonly string _issuer;
    private readonly string _subject;
    private readonly string _validity;
    private readonly string _leaf;

    public TlsRequestHeaders(bool versionAndCipher, ClientCertificateMode mode, AttributeSet listenerAttributes)
    {
        _versionAndCipher = versionAndCipher;
        _mode = mode;
        string Name(string header) => listenerAttributes.Get($"routing.http.request.{header}.header_name");
        _version = Name("x_amzn_tls_version");
        _cipher = Name("x_amzn_tls_cipher_suite");
        _clientCert = Name("x_amzn_mtls_clientcert");
        _serial = Name("x_amzn_mtls_clientcert_serial_number");
        _issuer = Name("x_amzn_mtls_clientcert_issuer");
        _subject = Name("x_amzn_mtls_clientcert_subject");
        _validity = Name("x_amzn_mtls_clientcert_validity");
        _leaf = Name("x_amzn_mtls_clientcert_leaf");
    }

    public void Apply<TEditor>(HttpContext context, ref TEditor headers) where TEditor : IRequestHeaderEditor
    {
        if (_versionAndCipher && context.Features.Get<ITlsHandshakeFeature>() is { } handshake)
        {
            headers.Set(_version, NegotiationPolicy.ProtocolName(handshake.Protocol));
            if (handshake.NegotiatedCipherSuite is { } suite) headers.Set(_cipher, NegotiationPolicy.CipherName(suite));
        }
        if (_mode == ClientCertificateMode.Off) return;

        // Whatever the client sent under these names must not pass for what the load balancer vouches for.
        headers.Remove(_clientCert);
        headers.Remove(_serial);
        headers.Remove(_issuer);
        headers.Remove(_subject);
        headers.Remove(_validity);
        headers.Remove(_leaf);
        if (context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(PresentedClientCertificate.ItemsKey, out var item) != true
            || item is not PresentedClientCertificate presented)
            return;
        if (_mode == ClientCertificateMode.Passthrough)
        {
            headers.Set(_clientCert, presented.ChainPem);
            return;
        }
        headers.Set(_serial, presented.SerialNumber);
        headers.Set(_issuer, presented.Issuer);
        headers.Set(_subject, presented.Subject);
        headers.Set(_validity, presented.Validity);
        headers.Set(_leaf, presented.LeafPem);
    }
}
