using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Elbe.DataPlane.Listeners.Tls;
using Elbe.Model.Resources;
using Elbe.Routing.Tls;
using Microsoft.Extensions.Logging;

namespace Elbe.DataPlane.Network;

/// <summary>
/// A TLS listener's termination as of one snapshot (fact sheet 2.5): the certificates SNI chooses among, the
/// security policy, and the ALPN policy, whose list is in the load balancer's order of preference.
/// </summary>
public sealed class NetworkTls
{
    private static readonly SslApplicationProtocol Http10 = new("http/1.0");

    private readonly CertificateSelector _selector;
    private readonly SslServerAuthenticationOptions[] _options;

    private NetworkTls(ServerCertificate[] certificates, NegotiationPolicy policy, List<SslApplicationProtocol>? alpn)
    {
        _selector = new CertificateSelector([.. certificates.Select(c => c.Candidate)]);
        Alpn = alpn;
        _options = [.. certificates.Select(c => new SslServerAuthenticationOptions
        {
            ServerCertificateContext = c.Context,
            EnabledSslProtocols = policy.Protocols,
            CipherSuitesPolicy = policy.ServerCipherSuites,
            ApplicationProtocols = alpn,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            AllowRenegotiation = false,
        })];
    }

    /// <summary>The protocols offered, most preferred first; null for the None policy (no ALPN).</summary>
    public List<SslApplicationProtocol>? Alpn { get; }

    /// <summary>Null when the listener's default certificate cannot be loaded.</summary>
    public static NetworkTls? Compile(Listener listener, ServerCertificateCache certificates, ILogger logger)
    {
        var loaded = new List<ServerCertificate>();
        foreach (var arn in listener.CertificateArns.Concat(listener.AdditionalCertificateArns))
        {
            if (certificates.Find(arn) is { } certificate) { if (!loaded.Contains(certificate)) loaded.Add(certificate); }
            else logger.LogWarning("Listener {Arn}: certificate {Certificate} is not available", listener.Arn, arn);
        }
        if (listener.CertificateArns.IsEmpty || certificates.Find(listener.CertificateArns[0]) is null) return null;
        return new NetworkTls([.. loaded], NegotiationPolicy.For(listener.SslPolicy), AlpnFor(listener.AlpnPolicy.FirstOrDefault()));
    }

    /// <summary>The ALPN policy's list in the load balancer's order; the stack picks the first the client also offers.</summary>
    public static List<SslApplicationProtocol>? AlpnFor(string? policy) => policy switch
    {
        "HTTP1Only" => [SslApplicationProtocol.Http11, Http10],
        "HTTP2Only" => [SslApplicationProtocol.Http2],
        "HTTP2Optional" => [SslApplicationProtocol.Http11, Http10, SslApplicationProtocol.Http2],
        "HTTP2Preferred" => [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11, Http10],
        _ => null,
    };

    /// <summary>Runs the server handshake on an accepted connection; the stream does not own the socket.</summary>
    public async Task<SslStream> AcceptAsync(Socket client, CancellationToken cancellationToken)
    {
        var offered = Alpn is null ? null : await PeekOfferAsync(client, cancellationToken).ConfigureAwait(false);
        var stream = new SslStream(new NetworkStream(client, ownsSocket: false), leaveInnerStreamOpen: false);
        try
        {
            await stream.AuthenticateAsServerAsync(
                (_, hello, state, _) => ValueTask.FromResult(((NetworkTls)state!).OptionsFor(hello.ServerName, offered)),
                this, cancellationToken).ConfigureAwait(false);
            return stream;
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// A TLS target group: the connection to the target is encrypted again, without checking the target's
    /// certificate (as NLB does not), offering the protocol the client negotiated.
    /// </summary>
    public static async Task<SslStream> ConnectAsync(Socket target, string targetHost, SslApplicationProtocol negotiated, CancellationToken cancellationToken)
    {
        var stream = new SslStream(new NetworkStream(target, ownsSocket: false), leaveInnerStreamOpen: false);
        try
        {
            await stream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = targetHost,
                RemoteCertificateValidationCallback = static (_, _, _, _) => true,
                ApplicationProtocols = negotiated.Protocol.IsEmpty ? null : [negotiated],
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            }, cancellationToken).ConfigureAwait(false);
            return stream;
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private SslServerAuthenticationOptions OptionsFor(string? serverName, IReadOnlyList<string>? offered)
    {
        var options = _options[_selector.Select(serverName ?? "", ClientKeySupport.Any)];
        if (Alpn is null || offered is null) return options;
        List<SslApplicationProtocol>? shared = null;
        foreach (var protocol in Alpn)
            if (offered.Contains(protocol.ToString())) (shared ??= []).Add(protocol);
        if (shared is not null && shared.Count == Alpn.Count) return options;
        // Only what both sides have, in the load balancer's order; nothing shared means no ALPN at all.
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = options.ServerCertificateContext,
            EnabledSslProtocols = options.EnabledSslProtocols,
            CipherSuitesPolicy = options.CipherSuitesPolicy,
            ApplicationProtocols = shared,
            CertificateRevocationCheckMode = options.CertificateRevocationCheckMode,
            AllowRenegotiation = false,
        };
    }

    /// <summary>The client's ALPN list from its first record, peeked so the handshake still reads it; null when it is not all there yet.</summary>
    private static async Task<IReadOnlyList<string>?> PeekOfferAsync(Socket client, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024 + 5);
        try
        {
            var peeked = await client.ReceiveAsync(buffer, SocketFlags.Peek, cancellationToken).ConfigureAwait(false);
            return ClientAlpnOffer.Read(buffer.AsSpan(0, peeked));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
