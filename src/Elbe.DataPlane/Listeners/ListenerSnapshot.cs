using Elbe.DataPlane.Actions;
using Elbe.DataPlane.Forwarding;
using Elbe.DataPlane.Snapshots;
using Elbe.Model.Resources;
using Elbe.Routing.Rules;
using Yarp.ReverseProxy.Forwarder;

namespace Elbe.DataPlane.Listeners;

/// <summary>Everything one listener needs to answer a request, compiled from one configuration. Immutable.</summary>
public sealed class ListenerSnapshot
{
    public ListenerSnapshot(Listener listener, AlbSettings settings, CompiledRuleSet<IListenerAction> rules)
    {
        Listener = listener;
        Settings = settings;
        Rules = rules;
        Scheme = listener.Protocol == "HTTPS" ? "https" : "http";
        PortText = listener.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Transformer = new AlbRequestTransformer(settings, listener.Port, Scheme);
        ForwarderConfig = new ForwarderRequestConfig { ActivityTimeout = settings.IdleTimeout };
    }

    public Listener Listener { get; }
    public AlbSettings Settings { get; }
    public CompiledRuleSet<IListenerAction> Rules { get; }
    /// <summary>"http" or "https": X-Forwarded-Proto and #{protocol}.</summary>
    public string Scheme { get; }
    public string PortText { get; }
    public AlbRequestTransformer Transformer { get; }
    /// <summary>The idle timeout toward targets: a target silent this long gets the client a 504.</summary>
    public ForwarderRequestConfig ForwarderConfig { get; }
}
