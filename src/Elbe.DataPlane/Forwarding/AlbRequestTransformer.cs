using System.Net;
using Elbe.DataPlane.Listeners.Tls;
using Elbe.DataPlane.Snapshots;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Forwarder;

namespace Elbe.DataPlane.Forwarding;

/// <summary>
/// Rewrites a request on its way to a target as ALB does (section 1.6): X-Forwarded-For/Proto/Port,
/// X-Amzn-Trace-Id and the Host header, and on HTTPS listeners the TLS and client certificate headers.
/// One instance per listener snapshot, shared by all its requests.
/// </summary>
public sealed class AlbRequestTransformer(AlbSettings settings, int listenerPort, string listenerScheme, TlsRequestHeaders? tlsHeaders = null) : HttpTransformer
{
    private readonly string _port = listenerPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
    private readonly bool _listenerPortIsDefault = listenerPort is 80 or 443;

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        var editor = new HttpRequestHeadersEditor(proxyRequest.Headers);
        Rewrite(httpContext, ref editor);
        proxyRequest.Headers.ExpectContinue = null;
    }

    /// <summary>What ALB adds, replaces and removes on a request to a target, for both forwarding paths.</summary>
    public void Rewrite<TEditor>(HttpContext httpContext, ref TEditor headers) where TEditor : IRequestHeaderEditor
    {
        var request = httpContext.Request;
        switch (settings.XffMode)
        {
            case XffMode.Append:
                var client = ClientEntry(httpContext.Connection);
                var existing = request.Headers["X-Forwarded-For"];
                var forwardedFor = existing.Count switch
                {
                    0 => client,
                    1 => string.Concat(existing[0], ", ", client),
                    _ => string.Join(", ", existing.ToArray()) + ", " + client,
                };
                headers.Set("X-Forwarded-For", forwardedFor);
                break;
            case XffMode.Remove:
                headers.Remove("X-Forwarded-For");
                break;
        }

        headers.Set("X-Forwarded-Proto", listenerScheme);
        headers.Set("X-Forwarded-Port", _port);

        var trace = request.Headers["X-Amzn-Trace-Id"];
        headers.Set("X-Amzn-Trace-Id", TraceId.Next(trace.Count == 0 ? null : trace[0]));

        tlsHeaders?.Apply(httpContext, ref headers);

        headers.Set("Host", HostForTarget(request.Headers.Host));
        // ALB answers 100 Continue itself (Kestrel does when the body is first read) and never forwards Expect.
        headers.Remove("Expect");
    }

    private readonly struct HttpRequestHeadersEditor(System.Net.Http.Headers.HttpRequestHeaders headers) : IRequestHeaderEditor
    {
        public void Remove(string name) => headers.Remove(name);

        public void Set(string name, string value)
        {
            headers.Remove(name);
            headers.TryAddWithoutValidation(name, value);
        }
    }

    /// <summary>A target response whose headers exceed 32 K is not forwarded: the client gets ALB's 502.</summary>
    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse is not null && ResponseHeaderBytes(proxyResponse) > MaxResponseHeaderBytes)
        {
            await Errors.LoadBalancerErrorResponse.WriteAsync(httpContext, 502);
            return false;
        }
        return await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
    }

    private const int MaxResponseHeaderBytes = 32 * 1024;

    private static int ResponseHeaderBytes(HttpResponseMessage response)
    {
        // NonValidated views count without parsing or allocating per header.
        var total = 0;
        foreach (var header in response.Headers.NonValidated)
            foreach (var value in header.Value) total += header.Key.Length + value.Length + 4;
        foreach (var header in response.Content.Headers.NonValidated)
            foreach (var value in header.Value) total += header.Key.Length + value.Length + 4;
        return total;
    }

    private string ClientEntry(ConnectionInfo connection)
    {
        var ip = connection.RemoteIpAddress ?? IPAddress.Loopback;
        if (!settings.XffClientPort)
        {
            // Without the port, clients behind one address (a NAT, a proxy, a load generator) share one entry: the last is kept.
            var last = _lastClient;
            if (last is not null && last.Address.Equals(ip)) return last.Entry;
            var entry = (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString();
            _lastClient = new ClientAddressEntry(ip, entry);
            return entry;
        }
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        var port = connection.RemotePort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]:{port}" : $"{ip}:{port}";
    }

    /// <summary>
    /// Lower-cased; on 80/443 any port suffix dropped, on other ports the listener port added when missing;
    /// absent (HTTP/1.0) ⇒ the load balancer's DNS name. Kept as received with preserve_host_header.
    /// </summary>
    private string HostForTarget(StringValues incoming)
    {
        if (incoming.Count == 0 || string.IsNullOrEmpty(incoming[0]))
            return _listenerPortIsDefault ? settings.DnsName : settings.DnsName + ":" + _port;
        var host = incoming[0]!;
        if (settings.PreserveHostHeader) return host;
        // Clients of one listener send the same few hosts: the last rewrite is kept so a repeat costs a comparison, not a string.
        var last = _lastHost;
        if (last is not null && string.Equals(last.Incoming, host, StringComparison.Ordinal)) return last.Outgoing;
        var outgoing = RewriteHost(host);
        _lastHost = new HostRewrite(host, outgoing);
        return outgoing;
    }

    private sealed record HostRewrite(string Incoming, string Outgoing);

    private sealed record ClientAddressEntry(IPAddress Address, string Entry);

    private ClientAddressEntry? _lastClient;

    private HostRewrite? _lastHost;

    private string RewriteHost(string host)
    {
        var colon = host.LastIndexOf(':');
        var hasPort = colon >= 0 && host.IndexOf(']', colon) < 0;
        if (_listenerPortIsDefault) return (hasPort ? host[..colon] : host).ToLowerInvariant();
        return hasPort ? host.ToLowerInvariant() : host.ToLowerInvariant() + ":" + _port;
    }
}
