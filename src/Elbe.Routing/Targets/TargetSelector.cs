using Elbe.Model.Attributes;
using Elbe.Routing.Health;

namespace Elbe.Routing.Targets;

/// <summary>
/// Picks the target for a request to one target group on this node, and owns the copy-on-write
/// <see cref="TargetCandidateSet"/> that makes that pick lock-free.
/// </summary>
/// <remarks>
/// Control-path changes (register, deregister, health transitions) serialise on a private lock and publish
/// a new candidate set; <see cref="Pick"/> reads the published set once and never blocks. Health changes must
/// come through <see cref="ApplyHealth"/>, not by setting <see cref="TargetState.Health"/> directly, or the
/// candidate set goes stale and slow start is not armed.
/// With cross-zone load balancing off a <see cref="ZonalTargetCandidates"/> is published alongside the
/// all-zones set, and requests pick from their node's zone.
/// </remarks>
public sealed class TargetSelector
{
    private readonly Lock _gate = new();
    private readonly ITargetBalancer _balancer;
    private readonly Func<ITargetBalancer> _newBalancer;
    // Written under _gate only; kept across rebuilds so each zone's rotation carries on.
    private readonly Dictionary<string, ITargetBalancer> _zoneBalancers = new(StringComparer.Ordinal);
    private readonly long _slowStartMs;
    private readonly MinimumHealthyTargets _minimum;
    private TargetState[] _registered;
    // Targets from a registration into an empty group skip slow start on their first healthy transition.
    private readonly HashSet<TargetState> _firstHealthyWithoutSlowStart = [];
    private volatile TargetCandidateSet _candidates;
    // Null while cross-zone load balancing is on.
    private volatile ZonalTargetCandidates? _zonal;

    /// <summary>A selector with cross-zone load balancing on: every request picks from all zones with <paramref name="balancer"/>.</summary>
    /// <param name="existing">Targets carried over from a previous configuration snapshot; their health and
    /// slow start state is kept as is (targets already healthy do not enter slow start).</param>
    public TargetSelector(ITargetBalancer balancer, long slowStartMs, MinimumHealthyTargets minimum, IEnumerable<TargetState>? existing = null)
        : this(balancer, () => balancer, slowStartMs, minimum, crossZoneEnabled: true, existing)
    {
    }

    /// <param name="newBalancer">Makes a fresh balancer: one for the all-zones set and, with cross-zone off, one per zone.</param>
    /// <param name="crossZoneEnabled">load_balancing.cross_zone.enabled as it applies to an ALB: false only when the group says so.</param>
    public TargetSelector(Func<ITargetBalancer> newBalancer, long slowStartMs, MinimumHealthyTargets minimum, bool crossZoneEnabled, IEnumerable<TargetState>? existing = null)
        : this(newBalancer(), newBalancer, slowStartMs, minimum, crossZoneEnabled, existing)
    {
    }

    private TargetSelector(ITargetBalancer balancer, Func<ITargetBalancer> newBalancer, long slowStartMs, MinimumHealthyTargets minimum, bool crossZoneEnabled, IEnumerable<TargetState>? existing)
    {
        _balancer = balancer;
        _newBalancer = newBalancer;
        _slowStartMs = slowStartMs;
        _minimum = minimum;
        CrossZoneEnabled = crossZoneEnabled;
        _registered = existing is null ? [] : [.. existing];
        _candidates = TargetCandidateSet.Build(_registered, _minimum);
        if (!crossZoneEnabled) _zonal = ZonalTargetCandidates.Build(_registered, _minimum, ZoneBalancer);
    }

    /// <summary>A selector configured from a target group's attributes (algorithm, slow start, routing failover thresholds, cross-zone).</summary>
    public static TargetSelector FromAttributes(AttributeSet attributes, IEnumerable<TargetState>? existing = null)
    {
        long slowStartMs = attributes.GetInt(TargetGroupAttributes.SlowStart) * 1000L;
        var algorithm = attributes.Get(TargetGroupAttributes.Algorithm);
        // An ALB's own cross-zone setting is always on, so only an explicit "false" turns it off for the group.
        bool crossZone = attributes.Get(TargetGroupAttributes.CrossZone) != "false";
        return new TargetSelector(() => TargetBalancerFactory.Create(algorithm, slowStartMs), slowStartMs, MinimumHealthyTargets.FromAttributes(attributes), crossZone, existing);
    }

    public bool CrossZoneEnabled { get; }

    /// <summary>The all-zones candidates, whatever the cross-zone setting.</summary>
    public TargetCandidateSet Candidates => _candidates;

    /// <summary>
    /// What a node in <paramref name="nodeZone"/> may route to: the all-zones set when cross-zone is on or the
    /// node's zone is unknown, else its own zone's set.
    /// </summary>
    public TargetCandidateSet CandidatesFor(string? nodeZone) =>
        _zonal is { } zonal && nodeZone is not null ? zonal.For(nodeZone) : _candidates;

    /// <summary>Every target this selector knows, draining ones included.</summary>
    public ReadOnlySpan<TargetState> Registered => Volatile.Read(ref _registered);

    public ITargetBalancer Balancer => _balancer;

    /// <summary>The target for a new request; null when nothing is routable (the caller answers 503).</summary>
    public TargetState? Pick(long nowTicks)
    {
        var routable = _candidates.Routable;
        return routable.IsEmpty ? null : _balancer.Pick(routable, nowTicks);
    }

    /// <summary>
    /// The target for a new request that reached the node in <paramref name="nodeZone"/>; null when nothing in
    /// scope is routable. Cross-zone off confines the pick to that zone; an unknown zone (null) picks from all.
    /// </summary>
    public TargetState? Pick(string? nodeZone, long nowTicks)
    {
        if (_zonal is not { } zonal || nodeZone is null) return Pick(nowTicks);
        var (candidates, balancer) = zonal.Route(nodeZone);
        return candidates.IsEmpty ? null : balancer.Pick(candidates.Routable, nowTicks);
    }

    /// <summary>Adds the targets of one RegisterTargets call. Already known targets are ignored.</summary>
    public void Register(IReadOnlyList<TargetState> targets)
    {
        lock (_gate)
        {
            bool intoEmptyGroup = true;
            foreach (var known in _registered)
                if (!known.IsDraining) { intoEmptyGroup = false; break; }

            var next = new List<TargetState>(_registered.Length + targets.Count);
            next.AddRange(_registered);
            foreach (var target in targets)
            {
                if (next.Contains(target)) continue;
                next.Add(target);
                if (intoEmptyGroup) _firstHealthyWithoutSlowStart.Add(target);
            }
            Publish([.. next]);
        }
    }

    /// <summary>Starts draining: no new requests, slow start ends. The caller removes it after the delay.</summary>
    public void Deregister(TargetState target)
    {
        lock (_gate)
        {
            target.MarkDraining();
            target.Health = TargetHealth.Draining;
            target.SlowStartSinceTicks = SlowStart.NotInSlowStart;
            _firstHealthyWithoutSlowStart.Remove(target);
            Publish(_registered);
        }
    }

    /// <summary>Forgets a target whose deregistration delay is over.</summary>
    public void Remove(TargetState target)
    {
        lock (_gate)
        {
            int index = Array.IndexOf(_registered, target);
            if (index < 0) return;
            var next = new TargetState[_registered.Length - 1];
            Array.Copy(_registered, 0, next, 0, index);
            Array.Copy(_registered, index + 1, next, index, next.Length - index);
            _firstHealthyWithoutSlowStart.Remove(target);
            Publish(next);
        }
    }

    /// <summary>
    /// Records a health check result for a target and applies the slow start rules (fact sheet 1.7): entering
    /// healthy arms slow start only if some other healthy target is not itself in slow start; leaving healthy
    /// ends it. Draining targets keep their draining state.
    /// </summary>
    public void ApplyHealth(TargetState target, TargetHealth health, long nowTicks)
    {
        lock (_gate)
        {
            if (target.IsDraining) return;
            var previous = target.Health;
            bool wasHealthy = previous.State == TargetHealthStates.Healthy;
            bool isHealthy = health.State == TargetHealthStates.Healthy;
            target.Health = health;

            if (isHealthy && !wasHealthy)
            {
                bool exempt = _firstHealthyWithoutSlowStart.Remove(target);
                target.SlowStartSinceTicks = !exempt && _slowStartMs > 0 && HasSettledHealthyPeer(target, nowTicks)
                    ? nowTicks
                    : SlowStart.NotInSlowStart;
            }
            else if (!isHealthy)
            {
                target.SlowStartSinceTicks = SlowStart.NotInSlowStart;
            }

            if (previous.State != health.State)
                Publish(_registered);
        }
    }

    private bool HasSettledHealthyPeer(TargetState target, long nowTicks)
    {
        foreach (var peer in _registered)
            if (peer != target && peer.IsHealthy && !peer.IsDraining && !SlowStart.IsIn(peer, nowTicks, _slowStartMs))
                return true;
        return false;
    }

    private void Publish(TargetState[] registered)
    {
        Volatile.Write(ref _registered, registered);
        _candidates = TargetCandidateSet.Build(registered, _minimum);
        if (!CrossZoneEnabled) _zonal = ZonalTargetCandidates.Build(registered, _minimum, ZoneBalancer);
    }

    private ITargetBalancer ZoneBalancer(string zone)
    {
        if (!_zoneBalancers.TryGetValue(zone, out var balancer))
            _zoneBalancers[zone] = balancer = _newBalancer();
        return balancer;
    }
}
