using System.Net;
using Elbe.DataPlane.Actions;
using Elbe.DataPlane.Forwarding;
using Elbe.DataPlane.Listeners.Tls;
using Elbe.DataPlane.Snapshots;
using Elbe.Model.Resources;
using Elbe.Routing.Rules;

namespace Elbe.DataPlane.Listeners;

/// <summary>Everything one listener needs to answer a request, compiled from one configuration. Immutable.</summary>
public sealed class ListenerSnapshot
{
    private readonly Dictionary<IPAddress, string> _nodeZones;

    /// <param name="nodeZones">Each load balancer node's address and zone: the address a client connected to tells which node, and so which zone, serves it.</param>
    /// <param name="tls">HTTPS listeners: certificates, policy and mutual TLS; null for HTTP.</param>
    public ListenerSnapshot(Listener listener, AlbSettings settings, CompiledRuleSet<IListenerAction> rules, Dictionary<IPAddress, string> nodeZones, ListenerTls? tls = null)
    {
        _nodeZones = nodeZones;
        Listener = listener;
        Settings = settings;
        Rules = rules;
        Scheme = listener.Protocol == "HTTPS" ? "https" : "http";
        PortText = listener.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Tls = tls;
        var tlsHeaders = tls is null ? null : ListenerTls.Headers(listener, settings.TlsVersionAndCipherHeaders, tls.Mode);
        Transformer = new AlbRequestTransformer(settings, listener.Port, Scheme, tlsHeaders);
        TargetRequests = new TargetRequestConfigs(settings.IdleTimeout, listener.SslPolicy);
    }

    public Listener Listener { get; }
    public AlbSettings Settings { get; }
    public CompiledRuleSet<IListenerAction> Rules { get; }
    /// <summary>"http" or "https": X-Forwarded-Proto and #{protocol}.</summary>
    public string Scheme { get; }
    public string PortText { get; }
    public AlbRequestTransformer Transformer { get; }
    public ListenerTls? Tls { get; }
    /// <summary>HTTP version and idle timeout toward targets (a target silent this long gets the client a 504), and the back-end TLS policy.</summary>
    public TargetRequestConfigs TargetRequests { get; }

    /// <summary>The zone of the node whose address the connection arrived on; null when the address is no node's.</summary>
    public string? NodeZone(IPAddress? localAddress)
    {
        if (localAddress is null) return null;
        // Dual-mode sockets report IPv4 clients as ::ffff:a.b.c.d.
        if (localAddress.IsIPv4MappedToIPv6) localAddress = localAddress.MapToIPv4();
        return _nodeZones.GetValueOrDefault(localAddress);
    }
}
