using System.Collections.Immutable;
using System.Text;
using System.Xml;
using Elbe.ControlPlane.Api.Shapes;
using Elbe.Model.Attributes;
using Elbe.Model.Identifiers;
using Elbe.Model.Resources;
using Elbe.Model.Security;
using Elbe.Model.Validation;

namespace Elbe.ControlPlane.Api.Actions;

/// <summary>Listeners: create, describe, modify, delete, attributes and the certificate list.</summary>
public static class ListenerActions
{
    public const int MaxListenersPerApplicationLoadBalancer = 50;
    public const int MaxListenersPerNetworkLoadBalancer = 50;
    public const int MaxListenersPerGatewayLoadBalancer = 1;
    public const int MaxAdditionalCertificates = 25;

    private const string NotFoundMessage = "One or more listeners not found";

    private static readonly string[] Protocols = ["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE", "QUIC", "TCP_QUIC"];
    private static readonly string[] ApplicationProtocols = ["HTTP", "HTTPS"];
    private static readonly string[] NetworkProtocols = ["TCP", "TLS", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC"];
    private static readonly string[] AlpnPolicies = ["HTTP1Only", "HTTP2Only", "HTTP2Optional", "HTTP2Preferred", "None"];

    /// <summary>Target group protocols an NLB listener may forward to, per listener protocol.</summary>
    private static readonly Dictionary<string, string[]> NetworkTargetProtocols = new(StringComparer.Ordinal)
    {
        ["TCP"] = ["TCP", "TCP_UDP"],
        ["TLS"] = ["TCP", "TLS"],
        ["UDP"] = ["UDP", "TCP_UDP"],
        ["TCP_UDP"] = ["TCP_UDP"],
        ["QUIC"] = ["QUIC"],
        ["TCP_QUIC"] = ["TCP_QUIC"],
    };

    public static void Register(ApiActionTable table) => table
        .AddElbv2("CreateListener", CreateListenerAsync)
        .AddElbv2("DescribeListeners", DescribeListenersAsync)
        .AddElbv2("ModifyListener", ModifyListenerAsync)
        .AddElbv2("DeleteListener", DeleteListenerAsync)
        .AddElbv2("DescribeListenerAttributes", DescribeListenerAttributesAsync)
        .AddElbv2("ModifyListenerAttributes", ModifyListenerAttributesAsync)
        .AddElbv2("AddListenerCertificates", AddListenerCertificatesAsync)
        .AddElbv2("RemoveListenerCertificates", RemoveListenerCertificatesAsync)
        .AddElbv2("DescribeListenerCertificates", DescribeListenerCertificatesAsync);

    private static async Task<Action<AwsXmlWriter>?> CreateListenerAsync(ApiCall call)
    {
        var p = call.Parameters;
        var lbArn = p.Require("LoadBalancerArn");
        var protocol = CheckProtocolName(p.Get("Protocol"));
        var port = p.GetInt("Port");
        var certificates = CertificateShape.ReadList(p, "Certificates");
        var sslPolicy = p.Get("SslPolicy");
        var alpn = p.GetList("AlpnPolicy");
        var mtls = ReadMutualAuthentication(p);
        var actions = ActionShape.KeepClientSecrets(ActionShape.RequireList(p, "DefaultActions"), []);
        var tags = TagShape.ReadList(p) ?? [];

        var created = await call.Store.MutateAsync(config =>
        {
            var lb = LoadBalancerActions.Find(config, lbArn);
            Listener listener;
            if (lb.Type == LoadBalancerType.Gateway)
            {
                if (protocol is not null || port is not null)
                    throw ApiException.Validation("Protocol and port cannot be specified for listeners of a Gateway Load Balancer");
                listener = NewListener(lb, 0, ListenerShape.GatewayProtocol);
            }
            else
            {
                if (protocol is null) throw ApiException.Validation("A listener protocol must be specified");
                if (port is null) throw ApiException.Validation("A listener port must be specified");
                listener = NewListener(lb, port.Value, protocol);
            }
            var secure = IsSecure(listener.Protocol);
            if (secure && certificates is not { Length: 1 })
                throw ApiException.Validation($"A certificate must be specified for {listener.Protocol} listeners");
            if (!secure && (certificates is { Length: > 0 } || sslPolicy is not null))
                throw new ApiException(ErrorCodes.InvalidConfigurationRequest, $"Certificates and SSL policies can be specified only for HTTPS and TLS listeners, not {listener.Protocol}");
            listener = listener with
            {
                CertificateArns = secure ? certificates!.Value : [],
                SslPolicy = secure ? sslPolicy ?? SslPolicies.DefaultPolicyName : null,
                AlpnPolicy = alpn is null ? [] : [.. alpn],
                MutualAuthentication = mtls,
                DefaultActions = actions,
                Tags = tags,
            };
            CheckListener(config, lb, listener);

            var existing = config.Listeners.FirstOrDefault(l => l.LoadBalancerArn == lb.Arn && l.Port == listener.Port);
            if (existing is not null)
            {
                if (Render(existing with { Arn = "" }) == Render(listener with { Arn = "" })) return (config, existing);
                // A gateway's listeners all sit on "no port", so a second one is one too many rather than a clash.
                if (lb.Type == LoadBalancerType.Gateway)
                    throw new ApiException(ErrorCodes.TooManyListeners, $"You've reached the limit of {MaxListenersPerGatewayLoadBalancer} listeners per load balancer");
                throw new ApiException(ErrorCodes.DuplicateListener, "A listener already exists on this port for this load balancer");
            }
            var limit = lb.Type switch
            {
                LoadBalancerType.Network => MaxListenersPerNetworkLoadBalancer,
                LoadBalancerType.Gateway => MaxListenersPerGatewayLoadBalancer,
                _ => MaxListenersPerApplicationLoadBalancer,
            };
            if (config.Listeners.Count(l => l.LoadBalancerArn == lb.Arn) >= limit)
                throw new ApiException(ErrorCodes.TooManyListeners, $"You've reached the limit of {limit} listeners per load balancer");

            var next = config with { Listeners = config.Listeners.Add(listener) };
            Validate(config, next);
            return (next, listener);
        });
        return w => w.List("Listeners", [created], ListenerShape.Write);
    }

    private static Task<Action<AwsXmlWriter>?> DescribeListenersAsync(ApiCall call)
    {
        var p = call.Parameters;
        var lbArn = p.Get("LoadBalancerArn");
        var arns = p.GetList("ListenerArns");
        var config = call.Store.Current;
        IReadOnlyList<Listener> selected;
        if (arns is { Count: > 0 })
        {
            if (lbArn is not null) throw ApiException.Validation("Listener ARNs and a load balancer ARN cannot be specified at the same time");
            var wanted = arns.ToHashSet(StringComparer.Ordinal);
            selected = [.. config.Listeners.Where(l => wanted.Contains(l.Arn))];
            if (selected.Count != wanted.Count) throw new ApiException(ErrorCodes.ListenerNotFound, NotFoundMessage);
        }
        else if (lbArn is not null)
        {
            LoadBalancerActions.Find(config, lbArn);
            selected = [.. config.Listeners.Where(l => l.LoadBalancerArn == lbArn)];
        }
        else
        {
            throw ApiException.Validation("You must specify either listener ARNs or a load balancer ARN");
        }
        var (page, next) = Pagination.Paginate(selected, p);
        return Result(w => w.List("Listeners", page, ListenerShape.Write).Value("NextMarker", next));
    }

    private static async Task<Action<AwsXmlWriter>?> ModifyListenerAsync(ApiCall call)
    {
        var p = call.Parameters;
        var arn = p.Require("ListenerArn");
        var protocolGiven = CheckProtocolName(p.Get("Protocol"));
        var portGiven = p.GetInt("Port");
        var certificates = CertificateShape.ReadList(p, "Certificates");
        var sslPolicy = p.Get("SslPolicy");
        var alpn = p.GetList("AlpnPolicy");
        var mtls = ReadMutualAuthentication(p);
        var actions = ActionShape.ReadList(p, "DefaultActions");

        var updated = await call.Store.MutateAsync(config =>
        {
            var listener = Find(config, arn);
            var lb = LoadBalancerActions.Find(config, listener.LoadBalancerArn);
            if (lb.Type == LoadBalancerType.Gateway && (protocolGiven is not null || portGiven is not null))
                throw ApiException.Validation("Protocol and port cannot be specified for listeners of a Gateway Load Balancer");

            var protocol = protocolGiven ?? listener.Protocol;
            var wasSecure = IsSecure(listener.Protocol);
            var secure = IsSecure(protocol);
            if (!secure && (certificates is { Length: > 0 } || sslPolicy is not null))
                throw new ApiException(ErrorCodes.InvalidConfigurationRequest, $"Certificates and SSL policies can be specified only for HTTPS and TLS listeners, not {protocol}");
            if (certificates is { Length: > 1 })
                throw ApiException.Validation("Only one default certificate can be specified; add others with AddListenerCertificates");

            var changed = listener with
            {
                Port = portGiven ?? listener.Port,
                Protocol = protocol,
                DefaultActions = actions is { } given ? ActionShape.KeepClientSecrets(given, listener.DefaultActions) : listener.DefaultActions,
                // Leaving HTTPS/TLS drops what only a secure listener has; entering it needs a certificate.
                CertificateArns = secure ? certificates ?? (wasSecure ? listener.CertificateArns : []) : [],
                AdditionalCertificateArns = secure && wasSecure ? listener.AdditionalCertificateArns : [],
                SslPolicy = secure ? sslPolicy ?? (wasSecure ? listener.SslPolicy : SslPolicies.DefaultPolicyName) : null,
                AlpnPolicy = protocol == "TLS" ? alpn is null ? listener.AlpnPolicy : [.. alpn] : alpn is null ? [] : [.. alpn],
                MutualAuthentication = protocol == "HTTPS" ? mtls ?? listener.MutualAuthentication : mtls,
            };
            if (secure && changed.CertificateArns.IsDefaultOrEmpty)
                throw ApiException.Validation($"A certificate must be specified for {protocol} listeners");
            CheckListener(config, lb, changed);
            if (changed.Port != listener.Port && config.Listeners.Any(l => l.LoadBalancerArn == lb.Arn && l.Port == changed.Port))
                throw new ApiException(ErrorCodes.DuplicateListener, "A listener already exists on this port for this load balancer");

            var next = config with { Listeners = config.Listeners.SetItem(config.Listeners.IndexOf(listener), changed) };
            Validate(config, next);
            return (next, changed);
        });
        return w => w.List("Listeners", [updated], ListenerShape.Write);
    }

    private static async Task<Action<AwsXmlWriter>?> DeleteListenerAsync(ApiCall call)
    {
        var arn = call.Parameters.Require("ListenerArn");
        await call.Store.MutateAsync(config =>
        {
            var listener = Find(config, arn);
            var next = config with
            {
                Listeners = config.Listeners.Remove(listener),
                Rules = config.Rules.RemoveAll(r => r.ListenerArn == arn),
            };
            return (next, 0);
        });
        return null;
    }

    private static Task<Action<AwsXmlWriter>?> DescribeListenerAttributesAsync(ApiCall call)
    {
        var config = call.Store.Current;
        var listener = Find(config, call.Parameters.Require("ListenerArn"));
        var lb = LoadBalancerActions.Find(config, listener.LoadBalancerArn);
        return Result(w => LoadBalancerAttributeShape.Write(w, ListenerAttributeShape.All(lb.Type, listener)));
    }

    private static async Task<Action<AwsXmlWriter>?> ModifyListenerAttributesAsync(ApiCall call)
    {
        var arn = call.Parameters.Require("ListenerArn");
        var changes = LoadBalancerAttributeShape.ReadList(call.Parameters, "Attributes");
        var (updated, type) = await call.Store.MutateAsync(config =>
        {
            var listener = Find(config, arn);
            var lb = LoadBalancerActions.Find(config, listener.LoadBalancerArn);
            var definitions = ListenerAttributeShape.Definitions(lb.Type, listener);
            var values = listener.Attributes.ToBuilder();
            foreach (var (key, value) in changes)
            {
                if (AttributeSet.Check(definitions, key, value) is { } why)
                    throw new ApiException(ErrorCodes.InvalidConfigurationRequest, why);
                values[key] = value;
            }
            var changed = listener with { Attributes = values.ToImmutable() };
            return (config with { Listeners = config.Listeners.SetItem(config.Listeners.IndexOf(listener), changed) }, (changed, lb.Type));
        });
        return w => LoadBalancerAttributeShape.Write(w, ListenerAttributeShape.All(type, updated));
    }

    private static async Task<Action<AwsXmlWriter>?> AddListenerCertificatesAsync(ApiCall call)
    {
        var arn = call.Parameters.Require("ListenerArn");
        var certificates = CertificateShape.ReadList(call.Parameters, "Certificates")
            ?? throw ApiException.Constraint("certificates", null, "Member must not be null");
        await call.Store.MutateAsync(config =>
        {
            var listener = Find(config, arn);
            foreach (var certificate in certificates)
                if (CertificateShape.CheckArn(config, certificate) is { } why) throw new ApiException(ErrorCodes.CertificateNotFound, why);
            if (!IsSecure(listener.Protocol))
                throw new ApiException(ErrorCodes.InvalidConfigurationRequest, $"Certificates can be added only to HTTPS and TLS listeners, not {listener.Protocol}");
            var extras = listener.AdditionalCertificateArns.IsDefault ? [] : listener.AdditionalCertificateArns;
            foreach (var certificate in certificates)
                if (!extras.Contains(certificate) && !listener.CertificateArns.Contains(certificate)) extras = extras.Add(certificate);
            if (extras.Length > MaxAdditionalCertificates)
                throw new ApiException("TooManyCertificates", $"You've reached the limit of {MaxAdditionalCertificates} certificates per load balancer");
            var changed = listener with { AdditionalCertificateArns = extras };
            return (config with { Listeners = config.Listeners.SetItem(config.Listeners.IndexOf(listener), changed) }, 0);
        });
        return w => w.List("Certificates", certificates, (c, certificate) => CertificateShape.Write(c, certificate, false));
    }

    private static async Task<Action<AwsXmlWriter>?> RemoveListenerCertificatesAsync(ApiCall call)
    {
        var arn = call.Parameters.Require("ListenerArn");
        var certificates = CertificateShape.ReadList(call.Parameters, "Certificates")
            ?? throw ApiException.Constraint("certificates", null, "Member must not be null");
        await call.Store.MutateAsync(config =>
        {
            var listener = Find(config, arn);
            foreach (var certificate in certificates)
                if (listener.CertificateArns.Contains(certificate))
                    throw new ApiException("OperationNotPermitted", "The default certificate cannot be removed from a listener; replace it with ModifyListener");
            var extras = listener.AdditionalCertificateArns.IsDefault ? [] : listener.AdditionalCertificateArns;
            var changed = listener with { AdditionalCertificateArns = extras.RemoveAll(certificates.Contains) };
            return (config with { Listeners = config.Listeners.SetItem(config.Listeners.IndexOf(listener), changed) }, 0);
        });
        return null;
    }

    private static Task<Action<AwsXmlWriter>?> DescribeListenerCertificatesAsync(ApiCall call)
    {
        var listener = Find(call.Store.Current, call.Parameters.Require("ListenerArn"));
        var all = new List<(string Arn, bool IsDefault)>();
        if (!listener.CertificateArns.IsDefaultOrEmpty) all.Add((listener.CertificateArns[0], true));
        if (!listener.AdditionalCertificateArns.IsDefault) all.AddRange(listener.AdditionalCertificateArns.Select(a => (a, false)));
        var (page, next) = Pagination.Paginate(all, call.Parameters);
        return Result(w => w.List("Certificates", page, (c, x) => CertificateShape.Write(c, x.Arn, x.IsDefault)).Value("NextMarker", next));
    }

    private static Listener NewListener(LoadBalancer lb, int port, string protocol) => new()
    {
        Arn = Arns.Listener(lb.Arn, Arns.NewId()),
        LoadBalancerArn = lb.Arn,
        Port = port,
        Protocol = protocol,
    };

    /// <summary>The listener's settings against its load balancer type, its target groups and the trust stores.</summary>
    private static void CheckListener(ElbeConfiguration config, LoadBalancer lb, Listener listener)
    {
        var allowed = lb.Type switch
        {
            LoadBalancerType.Application => ApplicationProtocols,
            LoadBalancerType.Network => NetworkProtocols,
            _ => [ListenerShape.GatewayProtocol],
        };
        if (!allowed.Contains(listener.Protocol))
            throw ApiException.Validation($"Listener protocol '{listener.Protocol}' must be one of '{string.Join(", ", allowed.Reverse())}'");
        if (lb.Type != LoadBalancerType.Gateway && listener.Port is < 1 or > 65535)
            throw ApiException.Constraint("port", listener.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "Member must have value between 1 and 65535");

        foreach (var certificate in listener.CertificateArns)
            if (CertificateShape.CheckArn(config, certificate) is { } why) throw new ApiException(ErrorCodes.CertificateNotFound, why);
        if (listener.SslPolicy is { } policy && !SslPolicies.Exists(policy))
            throw new ApiException("SSLPolicyNotFound", $"SSL policy '{policy}' not found");

        if (!listener.AlpnPolicy.IsDefaultOrEmpty)
        {
            if (listener.Protocol != "TLS")
                throw new ApiException(ErrorCodes.InvalidConfigurationRequest, "An ALPN policy can be specified only for TLS listeners");
            if (listener.AlpnPolicy.Length > 1 || !AlpnPolicies.Contains(listener.AlpnPolicy[0]))
                throw new ApiException("ALPNPolicyNotFound", $"ALPN policy '{string.Join(", ", listener.AlpnPolicy)}' not found");
        }

        if (listener.MutualAuthentication is { } mtls)
        {
            if (listener.Protocol != "HTTPS")
                throw new ApiException(ErrorCodes.InvalidConfigurationRequest, "Mutual authentication can be configured only for HTTPS listeners");
            if (mtls.Mode == "verify")
            {
                if (mtls.TrustStoreArn is null)
                    throw new ApiException(ErrorCodes.InvalidConfigurationRequest, "A trust store must be specified when the mutual authentication mode is 'verify'");
                var store = config.TrustStores.FirstOrDefault(t => t.Arn == mtls.TrustStoreArn)
                    ?? throw new ApiException("TrustStoreNotFound", $"Trust store '{mtls.TrustStoreArn}' not found");
                if (store.Status != TrustStore.StatusActive)
                    throw new ApiException("TrustStoreNotReady", $"Trust store '{store.Name}' is not ready");
            }
            else if (mtls.TrustStoreArn is not null)
            {
                throw new ApiException(ErrorCodes.InvalidConfigurationRequest, $"A trust store can be specified only when the mutual authentication mode is 'verify', not '{mtls.Mode}'");
            }
        }

        if (lb.Type == LoadBalancerType.Application) return; // the model's validators cover ALB actions
        foreach (var action in listener.DefaultActions)
        {
            if (action.Type != ActionTypes.Forward)
                throw new ApiException(ErrorCodes.InvalidLoadBalancerAction, $"Action type '{action.Type}' is not supported by {LoadBalancerShape.TypeName(lb.Type)} load balancers; use 'forward'");
            var groups = action.ForwardTargetGroups;
            if (groups.Length > 1)
                throw new ApiException(ErrorCodes.InvalidLoadBalancerAction, "A forward action on this load balancer type can have only one target group");
            foreach (var g in groups)
            {
                var tg = config.TargetGroups.FirstOrDefault(t => t.Arn == g.TargetGroupArn);
                if (tg is null) continue; // reported as TargetGroupNotFound by the model's validators
                var accepts = lb.Type == LoadBalancerType.Gateway ? ["GENEVE"] : NetworkTargetProtocols[listener.Protocol];
                if (tg.Protocol is null || !accepts.Contains(tg.Protocol))
                    throw new ApiException(ErrorCodes.IncompatibleProtocols,
                        $"The target group '{tg.Name}' uses protocol '{tg.Protocol}', which is not compatible with a {(lb.Type == LoadBalancerType.Gateway ? "Gateway Load Balancer" : listener.Protocol)} listener");
            }
        }
    }

    private static void Validate(ElbeConfiguration before, ElbeConfiguration after) => LoadBalancerActions.ValidateChange(before, after);

    private static ListenerMutualAuthentication? ReadMutualAuthentication(QueryParameters p)
    {
        if (p.GetStruct("MutualAuthentication") is not { } m) return null;
        var mode = m.Get("Mode") ?? "off";
        if (mode is not ("off" or "passthrough" or "verify"))
            throw ApiException.Constraint("mutualAuthentication.mode", mode, "Member must satisfy enum value set: [off, passthrough, verify]");
        var advertise = m.Get("AdvertiseTrustStoreCaNames");
        if (advertise is not (null or "on" or "off"))
            throw ApiException.Constraint("mutualAuthentication.advertiseTrustStoreCaNames", advertise, "Member must satisfy enum value set: [on, off]");
        var verify = mode == "verify";
        return new ListenerMutualAuthentication
        {
            Mode = mode,
            TrustStoreArn = m.Get("TrustStoreArn") is { Length: > 0 } store ? store : null,
            IgnoreClientCertificateExpiry = m.GetBool("IgnoreClientCertificateExpiry") ?? (verify ? false : null),
            AdvertiseTrustStoreCaNames = advertise ?? (verify ? "off" : null),
        };
    }

    private static string? CheckProtocolName(string? protocol)
    {
        if (protocol is not null && !Protocols.Contains(protocol))
            throw ApiException.Constraint("protocol", protocol, $"Member must satisfy enum value set: [{string.Join(", ", Protocols)}]");
        return protocol;
    }

    private static bool IsSecure(string protocol) => protocol is "HTTPS" or "TLS";

    /// <summary>The listener with this ARN, or ListenerNotFound.</summary>
    internal static Listener Find(ElbeConfiguration config, string arn) =>
        config.Listeners.FirstOrDefault(l => l.Arn == arn) ?? throw new ApiException(ErrorCodes.ListenerNotFound, NotFoundMessage);

    /// <summary>The listener as the API shows it, to tell whether a repeated create asks for the same thing.</summary>
    private static string Render(Listener listener)
    {
        var text = new StringBuilder();
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { OmitXmlDeclaration = true, ConformanceLevel = ConformanceLevel.Fragment }))
            ListenerShape.Write(new AwsXmlWriter(xml), listener);
        return text.ToString();
    }

    private static Task<Action<AwsXmlWriter>?> Result(Action<AwsXmlWriter> write) => Task.FromResult<Action<AwsXmlWriter>?>(write);
}
