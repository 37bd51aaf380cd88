using System.Net;
using Elbe.DataPlane.Actions;
using Elbe.DataPlane.Forwarding;
using Elbe.DataPlane.Health;
using Elbe.DataPlane.Listeners;
using Elbe.DataPlane.Listeners.Tls;
using Elbe.DataPlane.Network;
using Elbe.DataPlane.Snapshots;
using Elbe.DataPlane.Stickiness;
using Elbe.DataPlane.Targets;
using Elbe.Model.Attributes;
using Elbe.Model.Resources;
using Elbe.Routing.Flows;
using Elbe.Routing.Health;
using Elbe.Routing.Rules;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Elbe.DataPlane;

/// <summary>
/// Runs what an <see cref="ElbeConfiguration"/> describes: one Kestrel server per listener and one runtime per
/// target group. <see cref="ApplyAsync"/> takes a whole new configuration and applies the difference; listeners
/// swap snapshots atomically, so requests in flight finish on the configuration they started with.
/// </summary>
public sealed class LoadBalancingDataPlane : IAsyncDisposable
{
    /// <summary>How long a removed listener may take to finish its in-flight requests.</summary>
    private static readonly TimeSpan ListenerDrainTimeout = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _applyGate = new(1, 1);
    private readonly CancellationTokenSource _disposing = new();
    // Listeners removed or moved that are still draining; disposal cuts their drain short and waits for them.
    private readonly HashSet<Task> _retiringListeners = [];
    private readonly Dictionary<string, TargetGroupRuntime> _groups = [];
    private readonly Dictionary<string, ListenerHost> _listeners = [];
    private readonly Dictionary<string, NetworkListenerHost> _networkListeners = [];
    private readonly int _udpFlowCapacity;
    private readonly HealthCheckProbe _probe = new();
    private readonly StickyRouting _sticky = new();
    // One picker per target group, so every listener forwarding there shares the group's Maglev tables.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<TargetGroupRuntime, FlowTargetPicker> _pickers = [];
    private readonly TargetForwarder _forwarder;
    private readonly ServiceProvider _services;
    private readonly ILogger _logger;
    private readonly double _timeScale;
    private readonly TargetZones _targetZones;
    private readonly ServerCertificateCache _certificates;

    /// <param name="subnets">The server's subnets: they place ip and instance targets in zones.</param>
    /// <param name="udpFlowCapacity">UDP flows each NLB node socket holds before evicting the one idle longest.</param>
    public LoadBalancingDataPlane(ILoggerFactory loggerFactory, IReadOnlyList<Subnet> subnets, double timeScale = 1.0, int udpFlowCapacity = DefaultUdpFlowCapacity)
    {
        _udpFlowCapacity = udpFlowCapacity;
        _logger = loggerFactory.CreateLogger("Elbe.DataPlane");
        _timeScale = timeScale;
        _targetZones = new TargetZones(subnets);
        _certificates = new ServerCertificateCache(_logger);
        _services = new ServiceCollection().AddSingleton(loggerFactory).AddLogging().AddHttpForwarder().BuildServiceProvider();
        _forwarder = new TargetForwarder(_services.GetRequiredService<IHttpForwarder>());
    }

    public const int DefaultUdpFlowCapacity = 65_536;

    public async Task ApplyAsync(ElbeConfiguration configuration, CancellationToken cancellationToken = default)
    {
        await _applyGate.WaitAsync(cancellationToken);
        try
        {
            // Groups leave service only after the listeners stop routing to them: retiring first would answer
            // requests still on the old snapshots with 503s until the swap.
            var retiring = UpdateTargetGroups(configuration);
            // Once per configuration, for the ALB's HTTPS and the NLB's TLS listeners alike.
            _certificates.Refresh(configuration.Certificates);
            try
            {
                try
                {
                    await ApplyListenersAsync(configuration, cancellationToken);
                }
                finally
                {
                    await ApplyNetworkListenersAsync(configuration, cancellationToken);
                }
            }
            finally
            {
                RetireTargetGroups(retiring);
            }
        }
        finally
        {
            _applyGate.Release();
        }
    }

    /// <summary>The running Network Load Balancer listener, for its flow counters; null when it is not served.</summary>
    public NetworkListenerHost? NetworkListener(string listenerArn)
    {
        lock (_networkListeners)
            return _networkListeners.GetValueOrDefault(listenerArn);
    }

    /// <summary>
    /// Starts, updates and stops the TCP, UDP and TCP_UDP listeners of Network Load Balancers. Kept apart from
    /// the ALB's Kestrel listeners: these relay flows, with no requests to route.
    /// </summary>
    private async Task ApplyNetworkListenersAsync(ElbeConfiguration configuration, CancellationToken cancellationToken)
    {
        var loadBalancers = configuration.LoadBalancers.ToDictionary(lb => lb.Arn, StringComparer.Ordinal);
        var groups = configuration.TargetGroups.ToDictionary(g => g.Arn, StringComparer.Ordinal);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        var failures = new List<string>();
        foreach (var listener in configuration.Listeners)
        {
            if (!loadBalancers.TryGetValue(listener.LoadBalancerArn, out var loadBalancer) || loadBalancer.Type != LoadBalancerType.Network)
                continue;
            if (!NetworkListenerHost.Serves(listener.Protocol))
            {
                _logger.LogWarning("Listener {Arn}: protocol {Protocol} has no data plane yet; it is stored but not served", listener.Arn, listener.Protocol);
                continue;
            }
            var description = $"listener {listener.Protocol}:{listener.Port} of {loadBalancer.Name}";
            NetworkTls? tls = null;
            if (listener.Protocol == "TLS" && (tls = NetworkTls.Compile(listener, _certificates, _logger)) is null)
            {
                failures.Add($"{description}: its certificate {listener.CertificateArns.FirstOrDefault()} is not available");
                continue;
            }
            var snapshot = CompileNetwork(listener, loadBalancer, groups, description) with { Tls = tls };
            if (snapshot.GroupSettings.PreserveClientIp && ClientIpPreservation.WhyUnavailable is { } why)
            {
                failures.Add($"{description}: its target group has preserve_client_ip.enabled=true, but {why}");
                continue;
            }
            wanted.Add(listener.Arn);
            var addresses = loadBalancer.Nodes.Select(n => IPAddress.Parse(n.IpAddress)).Distinct().ToArray();
            NetworkListenerHost? host;
            lock (_networkListeners) _networkListeners.TryGetValue(listener.Arn, out host);
            if (host is not null)
            {
                if (host.Protocol == listener.Protocol && host.Port == listener.Port && host.Addresses.SequenceEqual(addresses))
                {
                    host.Apply(snapshot);
                    continue;
                }
                lock (_networkListeners) _networkListeners.Remove(listener.Arn);
                await host.DisposeAsync();
            }
            try
            {
                host = await NetworkListenerHost.StartAsync(listener.Protocol, listener.Port, addresses, snapshot, _udpFlowCapacity, _logger);
            }
            catch (IOException e)
            {
                failures.Add($"{description} cannot accept on {string.Join(", ", addresses.Select(a => a.ToString()))}: {e.Message}");
                continue;
            }
            lock (_networkListeners) _networkListeners[listener.Arn] = host;
            _logger.LogInformation("Listener {Protocol}:{Port} of {LoadBalancer} relaying on {Addresses}", listener.Protocol, listener.Port, loadBalancer.Name, string.Join(", ", addresses.Select(a => a.ToString())));
        }

        NetworkListenerHost[] removed;
        lock (_networkListeners)
        {
            removed = [.. _networkListeners.Where(l => !wanted.Contains(l.Key)).Select(l => l.Value)];
            foreach (var arn in _networkListeners.Keys.Where(a => !wanted.Contains(a)).ToArray()) _networkListeners.Remove(arn);
        }
        foreach (var host in removed) await host.DisposeAsync();
        if (failures.Count > 0) throw new IOException(string.Join("\n", failures));
    }

    private NetworkListenerSnapshot CompileNetwork(Listener listener, LoadBalancer loadBalancer, Dictionary<string, TargetGroup> groups, string description)
    {
        var groupArn = listener.DefaultActions.SelectMany(a => a.ForwardTargetGroups).Select(g => g.TargetGroupArn).FirstOrDefault();
        TargetGroupRuntime? runtime = null;
        if (groupArn is not null)
            lock (_groups) _groups.TryGetValue(groupArn, out runtime);
        var group = groupArn is null ? null : groups.GetValueOrDefault(groupArn);
        var idle = listener.Protocol is "TCP" or "TCP_UDP"
            ? new AttributeSet(listener.Attributes, ListenerAttributes.Tcp).GetInt(ListenerAttributes.TcpIdleTimeout)
            : 350;
        var nodeZones = new Dictionary<IPAddress, string>();
        foreach (var node in loadBalancer.Nodes)
            if (IPAddress.TryParse(node.IpAddress, out var address)) nodeZones.TryAdd(address, node.ZoneName);
        return new NetworkListenerSnapshot(
            listener.Arn,
            description,
            runtime,
            group is null ? new NetworkTargetGroupSettings() : NetworkTargetGroupSettings.From(group),
            TimeSpan.FromSeconds(idle * _timeScale),
            NetworkListenerSnapshot.DefaultUdpIdleTimeout * _timeScale,
            nodeZones,
            runtime is null ? new FlowTargetPicker() : _pickers.GetValue(runtime, _ => new FlowTargetPicker()));
    }

    /// <summary>DescribeTargetHealth for one target group; empty when the group is unknown.</summary>
    public IReadOnlyList<(ResolvedTarget Target, string HealthCheckPort, TargetHealth Health)> DescribeTargetHealth(string targetGroupArn)
    {
        lock (_groups)
            return _groups.TryGetValue(targetGroupArn, out var group) ? group.DescribeHealth() : [];
    }

    /// <summary>
    /// Creates and updates the configuration's target groups. A group that stays in use, or newly is, is
    /// updated at once; what leaves service (groups deleted, groups no rule forwards to any more) is returned
    /// for <see cref="RetireTargetGroups"/>, which runs once the listeners no longer reach it.
    /// </summary>
    private List<TargetGroupRetirement> UpdateTargetGroups(ElbeConfiguration configuration)
    {
        var inUse = TargetGroupsInUse(configuration);
        var instances = configuration.Instances.ToDictionary(i => i.InstanceId, StringComparer.Ordinal);
        var albNodes = AlbNodes(configuration);
        var networkCrossZone = NetworkCrossZone(configuration);
        var checkHosts = NetworkHealthCheckHosts(configuration);
        var retiring = new List<TargetGroupRetirement>();
        lock (_groups)
        {
            var seen = new HashSet<string>();
            foreach (var group in configuration.TargetGroups)
            {
                seen.Add(group.Arn);
                var settings = TargetGroupSettings.From(group, _timeScale);
                if (networkCrossZone.TryGetValue(group.Arn, out var crossZone)) settings = settings with { CrossZoneEnabled = crossZone };
                if (checkHosts.TryGetValue(group.Arn, out var checkHost)) settings = settings with { Probe = settings.Probe with { Host = checkHost } };
                var targets = Resolve(group, instances, albNodes);
                if (!_groups.TryGetValue(group.Arn, out var runtime))
                    _groups[group.Arn] = runtime = new TargetGroupRuntime(group.Arn, settings, _probe);
                var stillUsed = inUse.TryGetValue(group.Arn, out var enabledZones);
                // A group leaving service keeps its zones until the listeners stop reaching it.
                runtime.Update(settings, targets, stillUsed || runtime.InUse, enabledZones ?? runtime.EnabledZones);
                if (!stillUsed && runtime.InUse) retiring.Add(new TargetGroupRetirement(runtime, settings, targets, Deleted: false));
            }
            foreach (var arn in _groups.Keys.Where(a => !seen.Contains(a)).ToArray())
            {
                var runtime = _groups[arn];
                _groups.Remove(arn);
                retiring.Add(new TargetGroupRetirement(runtime, runtime.Settings, [], Deleted: true));
            }
        }
        return retiring;
    }

    private static void RetireTargetGroups(List<TargetGroupRetirement> retiring)
    {
        foreach (var (runtime, settings, targets, deleted) in retiring)
        {
            runtime.Update(settings, targets, inUse: false, runtime.EnabledZones);
            if (!deleted) continue;
            // Deleting a group deregisters its targets: let them drain, then forget the runtime.
            _ = Task.Delay(settings.DeregistrationDelay + TimeSpan.FromSeconds(1)).ContinueWith(_ => runtime.DisposeAsync().AsTask(), TaskScheduler.Default);
        }
    }

    private sealed record TargetGroupRetirement(TargetGroupRuntime Runtime, TargetGroupSettings Settings, IReadOnlyList<ResolvedTarget> Targets, bool Deleted);

    private List<ResolvedTarget> Resolve(TargetGroup group, Dictionary<string, Instance> instances, Dictionary<string, string> albNodes)
    {
        var resolved = new List<ResolvedTarget>(group.Targets.Length);
        foreach (var target in group.Targets)
        {
            Instance? instance = null;
            var address = group.TargetType switch
            {
                "instance" => instances.TryGetValue(target.Id, out instance) ? instance.PrivateIpAddress : null,
                "alb" => albNodes.GetValueOrDefault(target.Id),
                _ => target.Id,
            };
            if (address is null || (target.Port ?? group.Port) is not { } port) continue;
            resolved.Add(new ResolvedTarget(target, address, port, _targetZones.ZoneOf(target, address, instance)));
        }
        return resolved;
    }

    /// <summary>
    /// Cross-zone load balancing of the groups NLB listeners forward to: the group's own true or false, else
    /// (use_load_balancer_configuration) the NLB's load_balancing.cross_zone.enabled, which is off by default
    /// (fact sheet 0.2), unlike an ALB's.
    /// </summary>
    private static Dictionary<string, bool> NetworkCrossZone(ElbeConfiguration configuration)
    {
        var networkLoadBalancers = configuration.LoadBalancers.Where(lb => lb.Type == LoadBalancerType.Network).ToDictionary(lb => lb.Arn, StringComparer.Ordinal);
        var groups = configuration.TargetGroups.ToDictionary(g => g.Arn, StringComparer.Ordinal);
        var crossZone = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var listener in configuration.Listeners)
        {
            if (!networkLoadBalancers.TryGetValue(listener.LoadBalancerArn, out var loadBalancer)) continue;
            var balancerSetting = new AttributeSet(loadBalancer.Attributes, NetworkLoadBalancerAttributes.Network).GetBool("load_balancing.cross_zone.enabled");
            foreach (var action in listener.DefaultActions)
                foreach (var weighted in action.ForwardTargetGroups)
                {
                    if (!groups.TryGetValue(weighted.TargetGroupArn, out var group)) continue;
                    var own = group.Attributes.GetValueOrDefault(TargetGroupAttributes.CrossZone);
                    crossZone[group.Arn] = own is "true" or "false" ? own == "true" : balancerSetting;
                }
        }
        return crossZone;
    }

    /// <summary>
    /// The Host header of an NLB group's HTTP and HTTPS checks: "node address:listener port" (fact sheet 0.4), from
    /// the first NLB listener forwarding to the group, as one node of it sends them.
    /// </summary>
    private static Dictionary<string, string> NetworkHealthCheckHosts(ElbeConfiguration configuration)
    {
        var networkLoadBalancers = configuration.LoadBalancers.Where(lb => lb.Type == LoadBalancerType.Network && lb.Nodes.Length > 0).ToDictionary(lb => lb.Arn, StringComparer.Ordinal);
        var hosts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var listener in configuration.Listeners)
        {
            if (!networkLoadBalancers.TryGetValue(listener.LoadBalancerArn, out var loadBalancer)) continue;
            var node = loadBalancer.Nodes[0].IpAddress;
            var host = (node.Contains(':') ? $"[{node}]" : node) + ":" + listener.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var action in listener.DefaultActions)
                foreach (var weighted in action.ForwardTargetGroups)
                    hosts.TryAdd(weighted.TargetGroupArn, host);
        }
        return hosts;
    }

    /// <summary>
    /// Where an NLB reaches an ALB registered as its target (target type alb, fact sheet 2.7): the ALB's first
    /// node, by the ALB's ARN. An ALB of Elbe serves the same listeners on every node.
    /// </summary>
    private static Dictionary<string, string> AlbNodes(ElbeConfiguration configuration)
    {
        var nodes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var loadBalancer in configuration.LoadBalancers)
            if (loadBalancer.Type == LoadBalancerType.Application && loadBalancer.Nodes.Length > 0)
                nodes[loadBalancer.Arn] = loadBalancer.Nodes[0].IpAddress;
        return nodes;
    }

    /// <summary>The target groups some listener or rule forwards to, each with the zones of the load balancers that forward to it.</summary>
    private static Dictionary<string, HashSet<string>> TargetGroupsInUse(ElbeConfiguration configuration)
    {
        var nodeZones = new Dictionary<string, IEnumerable<string>>(StringComparer.Ordinal);
        foreach (var loadBalancer in configuration.LoadBalancers)
            nodeZones[loadBalancer.Arn] = loadBalancer.Nodes.Select(n => n.ZoneName);
        var listenerZones = new Dictionary<string, IEnumerable<string>>(StringComparer.Ordinal);
        foreach (var listener in configuration.Listeners)
            listenerZones[listener.Arn] = nodeZones.GetValueOrDefault(listener.LoadBalancerArn) ?? [];

        var used = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        void Use(IEnumerable<RuleAction> actions, string listenerArn)
        {
            foreach (var action in actions)
                foreach (var weighted in action.ForwardTargetGroups)
                {
                    if (!used.TryGetValue(weighted.TargetGroupArn, out var zones))
                        used[weighted.TargetGroupArn] = zones = new HashSet<string>(StringComparer.Ordinal);
                    zones.UnionWith(listenerZones.GetValueOrDefault(listenerArn) ?? []);
                }
        }
        foreach (var listener in configuration.Listeners) Use(listener.DefaultActions, listener.Arn);
        foreach (var rule in configuration.Rules) Use(rule.Actions, rule.ListenerArn);
        return used;
    }

    private async Task ApplyListenersAsync(ElbeConfiguration configuration, CancellationToken cancellationToken)
    {
        var loadBalancers = configuration.LoadBalancers.ToDictionary(lb => lb.Arn, StringComparer.Ordinal);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        var failures = new List<string>();
        foreach (var listener in configuration.Listeners)
        {
            if (!loadBalancers.TryGetValue(listener.LoadBalancerArn, out var loadBalancer) || loadBalancer.Type != LoadBalancerType.Application)
                continue;
            if (listener.Protocol is not ("HTTP" or "HTTPS"))
            {
                _logger.LogWarning("Listener {Arn}: protocol {Protocol} has no data plane yet; it is stored but not served", listener.Arn, listener.Protocol);
                continue;
            }
            ListenerTls? tls = null;
            if (listener.Protocol == "HTTPS")
            {
                var settings = AlbSettings.From(loadBalancer);
                tls = ListenerTls.Compile(listener, settings.Http2Enabled, _certificates, configuration.TrustStores, _logger);
                if (tls is null)
                {
                    failures.Add($"listener HTTPS:{listener.Port} of {loadBalancer.Name} has no usable default certificate ({string.Join(", ", listener.CertificateArns)})");
                    continue;
                }
            }
            wanted.Add(listener.Arn);
            var snapshot = Compile(listener, loadBalancer, configuration, tls);
            var addresses = loadBalancer.Nodes.Select(n => IPAddress.Parse(n.IpAddress)).Distinct().ToArray();

            var sharesSockets = false;
            if (_listeners.TryGetValue(listener.Arn, out var host))
            {
                if (host.Port == listener.Port && host.Protocol == listener.Protocol && host.Addresses.SequenceEqual(addresses))
                {
                    host.Apply(snapshot);
                    continue;
                }
                // A moved listener (new port, or nodes added or removed) drains its old sockets' requests in the
                // background like a removed one; waiting here would hold every other change back for the drain.
                _listeners.Remove(listener.Arn);
                sharesSockets = host.Port == listener.Port && host.Addresses.Intersect(addresses).Any();
                Retire(host);
            }
            try
            {
                _listeners[listener.Arn] = await StartListenerAsync(addresses, snapshot, retryWhileUnbinding: sharesSockets, cancellationToken);
            }
            catch (IOException e)
            {
                // One listener that cannot bind must not keep the others from being applied.
                failures.Add($"listener {listener.Protocol}:{listener.Port} of {loadBalancer.Name} cannot accept on {string.Join(", ", addresses.Select(a => a.ToString()))}: {e.Message}");
                continue;
            }
            _logger.LogInformation("Listener {Protocol}:{Port} of {LoadBalancer} accepting on {Addresses}", listener.Protocol, listener.Port, loadBalancer.Name, string.Join(", ", addresses.Select(a => a.ToString())));
        }

        foreach (var arn in _listeners.Keys.Where(a => !wanted.Contains(a)).ToArray())
        {
            var host = _listeners[arn];
            _listeners.Remove(arn);
            Retire(host);
        }
        if (failures.Count > 0) throw new IOException(string.Join("\n", failures));
    }

    /// <summary>
    /// Starts a listener. When it takes over sockets of one being retired, its bind can fail for the moment
    /// the old server takes to stop accepting (Kestrel unbinds first, then drains), so it is retried briefly.
    /// </summary>
    private async Task<ListenerHost> StartListenerAsync(IPAddress[] addresses, ListenerSnapshot snapshot, bool retryWhileUnbinding, CancellationToken cancellationToken)
    {
        const int attempts = 40;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ListenerHost.StartAsync(addresses, new ListenerRuntime(snapshot), cancellationToken, _logger);
            }
            catch (IOException) when (retryWhileUnbinding && attempt < attempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            }
        }
    }

    /// <summary>A listener leaving service stops accepting at once and drains its in-flight requests in the background.</summary>
    private void Retire(ListenerHost host)
    {
        var retirement = Task.Run(async () =>
        {
            await host.StopAsync(ListenerDrainTimeout, _disposing.Token);
            await host.DisposeAsync();
        }, CancellationToken.None);
        lock (_retiringListeners)
        {
            _retiringListeners.RemoveWhere(t => t.IsCompleted);
            _retiringListeners.Add(retirement);
        }
    }

    private ListenerSnapshot Compile(Listener listener, LoadBalancer loadBalancer, ElbeConfiguration configuration, ListenerTls? tls)
    {
        var rules = new List<(ListenerRule, IListenerAction)>();
        foreach (var rule in configuration.Rules)
            if (rule.ListenerArn == listener.Arn) rules.Add((rule, CompileActions(rule.Actions)));
        var nodeZones = new Dictionary<IPAddress, string>();
        foreach (var node in loadBalancer.Nodes)
            if (IPAddress.TryParse(node.IpAddress, out var address)) nodeZones.TryAdd(address, node.ZoneName);
        return new ListenerSnapshot(listener, AlbSettings.From(loadBalancer), new CompiledRuleSet<IListenerAction>(CompileActions(listener.DefaultActions), rules), nodeZones, tls);
    }

    /// <summary>The terminal action is the one with the highest Order (validation guarantees there is exactly one).</summary>
    private IListenerAction CompileActions(IReadOnlyList<RuleAction> actions)
    {
        RuleAction? terminal = null;
        foreach (var action in actions)
            if (terminal is null || (action.Order ?? 0) >= (terminal.Order ?? 0)) terminal = action;
        return terminal?.Type switch
        {
            ActionTypes.Redirect when terminal.Redirect is { } redirect => new RedirectAction(redirect),
            ActionTypes.FixedResponse when terminal.FixedResponse is { } fixedResponse => new FixedResponseAction(fixedResponse),
            ActionTypes.Forward => new ForwardAction(ForwardGroups(terminal), terminal.Forward, _forwarder, _sticky),
            _ => new FixedResponseAction(new FixedResponseConfig { StatusCode = "503" }),
        };
    }

    private List<(TargetGroupRuntime, int)> ForwardGroups(RuleAction action)
    {
        var list = new List<(TargetGroupRuntime, int)>();
        lock (_groups)
            foreach (var weighted in action.ForwardTargetGroups)
                if (_groups.TryGetValue(weighted.TargetGroupArn, out var runtime)) list.Add((runtime, weighted.Weight));
        return list;
    }

    public async ValueTask DisposeAsync()
    {
        _disposing.Cancel();
        foreach (var host in _listeners.Values) await host.DisposeAsync();
        _listeners.Clear();
        NetworkListenerHost[] network;
        lock (_networkListeners)
        {
            network = [.. _networkListeners.Values];
            _networkListeners.Clear();
        }
        foreach (var host in network) await host.DisposeAsync();
        Task[] retiring;
        lock (_retiringListeners) retiring = [.. _retiringListeners];
        await Task.WhenAll(retiring);
        lock (_groups)
        {
            foreach (var group in _groups.Values) _ = group.DisposeAsync();
            _groups.Clear();
        }
        _forwarder.Dispose();
        _sticky.Dispose();
        _disposing.Dispose();
        await _services.DisposeAsync();
    }
}
