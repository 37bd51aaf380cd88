using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Elbe.Model.Attributes;
using Elbe.Model.Resources;
using Elbe.Routing.Tls;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Elbe.DataPlane.Listeners.Tls;

/// <summary>
/// An HTTPS listener's TLS as of one snapshot: its certificates and how SNI picks among them, the security
/// policy, ALPN, and mutual TLS. Handshakes read the snapshot current when they start, so a rotated certificate
/// or a new policy applies to new connections while open ones keep what they negotiated.
/// </summary>
public sealed class ListenerTls
{
    /// <summary>
    /// A fixed 10 s, not the idle timeout: ALB's own TLS handshake timeout toward targets is 10 s, and the idle
    /// timeout (up to 4000 s) would let clients that never finish a handshake hold sockets for an hour. It bounds
    /// the wait for the ClientHello (<see cref="ClientHelloSniffer"/>) and then the handshake itself, so a client
    /// is disconnected at most twice this after it connected.
    /// </summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private static readonly List<SslApplicationProtocol> Http2AndHttp11 = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];
    private static readonly List<SslApplicationProtocol> Http11Only = [SslApplicationProtocol.Http11];

    private readonly ServerCertificate[] _certificates;
    private readonly CertificateSelector _selector;
    private readonly NegotiationPolicy _policy;
    private readonly List<SslApplicationProtocol> _alpn;
    private readonly TrustStoreVerifier? _verifier;
    // Without mutual TLS nothing in the options depends on the connection: one per certificate, shared; and one
    // per certificate for clients that offer TLS 1.3, which share a cached SSL_CTX under any TLS 1.3 policy.
    private readonly SslServerAuthenticationOptions[] _sharedOptions;
    private readonly SslServerAuthenticationOptions[] _tls13Options;

    private ListenerTls(ServerCertificate[] certificates, NegotiationPolicy policy, bool http2, ClientCertificateMode mode, TrustStoreVerifier? verifier, bool advertiseCaNames)
    {
        _certificates = certificates;
        _selector = new CertificateSelector([.. certificates.Select(c => c.Candidate)]);
        _policy = policy;
        _alpn = http2 ? Http2AndHttp11 : Http11Only;
        Mode = mode;
        _verifier = verifier;
        // AdvertiseTrustStoreCaNames: the CertificateRequest names the trust store's CAs, which needs contexts of
        // this listener's own (built once per snapshot, not per handshake).
        _contexts = advertiseCaNames && verifier is not null
            ? [.. certificates.Select(c => c.WithAdvertisedAuthorities(verifier.Authorities))]
            : [.. certificates.Select(c => c.Context)];
        _sharedOptions = [.. _contexts.Select(c => Options(c, policy.ServerCipherSuites))];
        _tls13Options = policy.Tls13ServerCipherSuites == policy.ServerCipherSuites
            ? _sharedOptions
            : [.. _contexts.Select(c => Options(c, policy.Tls13ServerCipherSuites))];
    }

    private readonly SslStreamCertificateContext[] _contexts;

    public ClientCertificateMode Mode { get; }
    public IReadOnlyList<ServerCertificate> Certificates => _certificates;

    /// <summary>Null when none of the listener's certificates can be loaded: the listener cannot serve.</summary>
    public static ListenerTls? Compile(Listener listener, bool http2, ServerCertificateCache certificates, IReadOnlyList<TrustStore> trustStores, ILogger logger)
    {
        var loaded = new List<ServerCertificate>();
        // The default certificate must load: it is index 0, what clients without a matching name get.
        if (listener.CertificateArns.IsDefaultOrEmpty || certificates.Find(listener.CertificateArns[0]) is null)
            return null;
        foreach (var arn in ListenerCertificates.All(listener))
        {
            if (certificates.Find(arn) is { } certificate) { if (!loaded.Contains(certificate)) loaded.Add(certificate); }
            else logger.LogWarning("Listener {Arn}: certificate {Certificate} is not available", listener.Arn, arn);
        }

        var authentication = listener.MutualAuthentication;
        var mode = authentication?.Mode switch
        {
            "passthrough" => ClientCertificateMode.Passthrough,
            "verify" => ClientCertificateMode.Verify,
            _ => ClientCertificateMode.Off,
        };
        TrustStoreVerifier? verifier = null;
        if (mode == ClientCertificateMode.Verify)
        {
            var trustStore = trustStores.FirstOrDefault(t => t.Arn == authentication!.TrustStoreArn);
            verifier = trustStore is null ? null : TrustStoreVerifier.From(trustStore, authentication!.IgnoreClientCertificateExpiry ?? false);
            if (verifier is null) logger.LogWarning("Listener {Arn}: trust store {TrustStore} has no CA certificates; every client certificate is refused", listener.Arn, authentication!.TrustStoreArn);
        }
        var advertise = string.Equals(authentication?.AdvertiseTrustStoreCaNames, "on", StringComparison.OrdinalIgnoreCase);
        return new ListenerTls([.. loaded], NegotiationPolicy.For(listener.SslPolicy), http2, mode, verifier, advertise);
    }

    public static TlsRequestHeaders Headers(Listener listener, bool versionAndCipher, ClientCertificateMode mode) =>
        new(versionAndCipher, mode, new AttributeSet(listener.Attributes, ListenerAttributes.Application));

    /// <summary>Kestrel's per-connection callback: the options for this handshake.</summary>
    public ValueTask<SslServerAuthenticationOptions> OptionsFor(TlsHandshakeCallbackContext context)
    {
        var hello = context.Connection.Items.TryGetValue(ClientHelloSniffer.ItemsKey, out var item) ? item as ClientHello : null;
        var index = _selector.Select(context.ClientHelloInfo.ServerName, hello?.KeySupport ?? ClientKeySupport.Any);
        // ClientHelloInfo.SslProtocols does not show a TLS 1.3 offer (supported_versions); the sniffer's parse does.
        if (Mode == ClientCertificateMode.Off) return ValueTask.FromResult(hello is { OffersTls13: true } ? _tls13Options[index] : _sharedOptions[index]);

        var options = Options(_contexts[index], _policy.ServerCipherSuites);
        options.ClientCertificateRequired = true;
        // ALB resumes no sessions with mutual TLS: every connection shows its certificate (and is verified) again.
        options.AllowTlsResume = false;
        var connection = context.Connection;
        options.RemoteCertificateValidationCallback = (_, certificate, chain, _) => AcceptClient(connection, certificate, chain);
        return ValueTask.FromResult(options);
    }

    private SslServerAuthenticationOptions Options(SslStreamCertificateContext context, CipherSuitesPolicy? cipherSuites) => new()
    {
        ServerCertificateContext = context,
        EnabledSslProtocols = _policy.Protocols,
        CipherSuitesPolicy = cipherSuites,
        ApplicationProtocols = _alpn,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        AllowRenegotiation = false,
        EncryptionPolicy = EncryptionPolicy.RequireEncryption,
    };

    /// <summary>
    /// Passthrough takes any certificate (or none); verify needs one its trust store vouches for. The platform's
    /// own verdict (system roots) is ignored either way. An accepted certificate is kept for the request headers.
    /// </summary>
    private bool AcceptClient(ConnectionContext connection, X509Certificate? certificate, X509Chain? chain)
    {
        if (certificate is null) return Mode == ClientCertificateMode.Passthrough;
        // The stack disposes its certificates after this callback; the headers need copies that outlive it.
        var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var presented = new X509Certificate2Collection();
        if (chain is not null)
            foreach (var extra in chain.ChainPolicy.ExtraStore)
                if (!extra.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span))
                    presented.Add(X509CertificateLoader.LoadCertificate(extra.RawDataMemory.Span));
        if (Mode == ClientCertificateMode.Verify && _verifier?.Trusts(leaf, presented) != true) return false;
        connection.Items[PresentedClientCertificate.ItemsKey] = new PresentedClientCertificate(leaf, [leaf, .. presented]);
        return true;
    }
}
