using Elbe.DataPlane.Health;
using Elbe.Routing.Health;
using Elbe.Routing.Targets;

namespace Elbe.DataPlane.Targets;

/// <summary>
/// The live side of one target group: its targets' state, the selector requests pick from, the health checks,
/// and deregistration draining. It outlives configuration snapshots; <see cref="Update"/> applies a new one as a diff.
/// </summary>
public sealed class TargetGroupRuntime : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly HealthCheckProbe _probe;
    private readonly Dictionary<(string Id, int Port), TrackedTarget> _targets = [];
    private readonly List<TrackedTarget> _draining = [];
    private volatile TargetGroupSettings _settings;
    private volatile TargetSelector _selector;
    private bool _inUse;
    private IReadOnlySet<string> _enabledZones = new HashSet<string>();
    private bool _disposed;

    public TargetGroupRuntime(string arn, TargetGroupSettings settings, HealthCheckProbe probe)
    {
        Arn = arn;
        _probe = probe;
        _settings = settings;
        _selector = NewSelector(settings, null);
    }

    public string Arn { get; }
    public TargetGroupSettings Settings => _settings;
    public TargetSelector Selector => _selector;

    /// <summary>Some listener rule forwards here: targets are health-checked rather than unused.</summary>
    public bool InUse
    {
        get { lock (_gate) return _inUse; }
    }

    /// <summary>The zones of the load balancers that last forwarded here.</summary>
    public IReadOnlySet<string> EnabledZones
    {
        get { lock (_gate) return _enabledZones; }
    }

    /// <summary>Applies one configuration's view of this group. <paramref name="inUse"/>: some listener rule forwards to it.</summary>
    /// <param name="enabledZones">Zones the load balancers forwarding here have nodes in. A target in any other
    /// zone is unused (Target.NotInUse, fact sheet 0.1 and 0.3) and not health-checked.</param>
    public void Update(TargetGroupSettings settings, IReadOnlyList<ResolvedTarget> targets, bool inUse, IReadOnlySet<string> enabledZones)
    {
        lock (_gate)
        {
            if (_disposed) return;
            var previous = _settings;
            _settings = settings;
            if (settings.ChangesSelection(previous))
            {
                var carried = new List<TargetState>(_targets.Count);
                foreach (var tracked in _targets.Values) carried.Add(tracked.State);
                _selector = NewSelector(settings, carried);
            }

            var wanted = new HashSet<(string, int)>();
            var added = new List<TargetState>();
            foreach (var target in targets)
            {
                wanted.Add(target.Key);
                if (_targets.ContainsKey(target.Key)) continue;
                var state = new TargetState(target.Description, target.Address, target.Port, target.ZoneName);
                var tracked = new TrackedTarget(state, new HealthStateMachine(settings.HealthCheck.HealthyThresholdCount, settings.HealthCheck.UnhealthyThresholdCount));
                _targets.Add(target.Key, tracked);
                added.Add(state);
            }
            if (added.Count > 0) _selector.Register(added);

            foreach (var (key, tracked) in _targets.ToArray())
            {
                if (wanted.Contains(key)) continue;
                _targets.Remove(key);
                StartDraining(tracked, settings.DeregistrationDelay);
            }

            var checksChanged = settings.ChangesHealthChecks(previous);
            _inUse = inUse;
            _enabledZones = enabledZones;
            foreach (var tracked in _targets.Values)
            {
                var unused = !inUse ? TargetHealth.NotInUse : IsInEnabledZone(tracked.State, enabledZones) ? null : TargetHealth.ZoneNotEnabled;
                if (unused is not null)
                {
                    tracked.StopChecks();
                    _selector.ApplyHealth(tracked.State, unused, Environment.TickCount64);
                    continue;
                }
                if (checksChanged) tracked.StopChecks();
                if (tracked.Checks is null)
                {
                    if (tracked.State.Health.State == TargetHealthStates.Unused)
                        _selector.ApplyHealth(tracked.State, TargetHealth.Initial, Environment.TickCount64);
                    tracked.StartChecks(this);
                }
            }
        }
    }

    private static bool IsInEnabledZone(TargetState target, IReadOnlySet<string> enabledZones) =>
        target.ZoneName == ZonalTargetCandidates.AllZones || enabledZones.Contains(target.ZoneName);

    /// <summary>Targets as DescribeTargetHealth lists them: registered ones, then those still draining.</summary>
    public IReadOnlyList<(ResolvedTarget Target, string HealthCheckPort, TargetHealth Health)> DescribeHealth()
    {
        lock (_gate)
        {
            var list = new List<(ResolvedTarget, string, TargetHealth)>(_targets.Count + _draining.Count);
            foreach (var tracked in _targets.Values) list.Add(Describe(tracked.State, tracked.State.Health));
            foreach (var tracked in _draining) list.Add(Describe(tracked.State, TargetHealth.Draining));
            return list;
        }
    }

    private (ResolvedTarget, string, TargetHealth) Describe(TargetState state, TargetHealth health) =>
        (new ResolvedTarget(state.Description, state.Address, state.Port, state.ZoneName), HealthCheckPort(state).ToString(System.Globalization.CultureInfo.InvariantCulture), health);

    private int HealthCheckPort(TargetState state) =>
        _settings.HealthCheck.Port == "traffic-port" ? state.Port : int.Parse(_settings.HealthCheck.Port, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// No new requests from now on; in-flight ones run until the delay ends, when they are cut. The state reads
    /// draining for the whole delay even when nothing is in flight, as on ALB.
    /// </summary>
    private void StartDraining(TrackedTarget tracked, TimeSpan delay)
    {
        tracked.StopChecks();
        _selector.Deregister(tracked.State);
        tracked.State.Health = TargetHealth.Draining;
        _draining.Add(tracked);
        _ = FinishDrainingAsync(tracked, delay);
    }

    private async Task FinishDrainingAsync(TrackedTarget tracked, TimeSpan delay)
    {
        await Task.Delay(delay).ConfigureAwait(false);
        tracked.State.CutOff();
        lock (_gate)
        {
            _draining.Remove(tracked);
            _selector.Remove(tracked.State);
        }
    }

    private async Task RunChecksAsync(TrackedTarget tracked, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var settings = _settings;
                var outcome = settings.HealthCheck.Protocol == "TCP"
                    ? await TcpConnectProbe.CheckAsync(tracked.State.Address, HealthCheckPort(tracked.State), settings.Probe.Timeout, settings.ProxyProtocolV2, stop).ConfigureAwait(false)
                    : await _probe.CheckAsync(tracked.State.Address, HealthCheckPort(tracked.State), settings.Probe, stop).ConfigureAwait(false);
                if (stop.IsCancellationRequested) return;
                lock (_gate)
                {
                    if (!_inUse || stop.IsCancellationRequested) return;
                    if (tracked.Machine.Record(outcome)) ApplyCheckedHealth(tracked, settings.UnhealthyDrainingInterval);
                }
                await Task.Delay(settings.HealthCheckInterval, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>
    /// Publishes what the checks found. With an unhealthy draining interval (NLB, fact sheet 2.6) a target that turns
    /// unhealthy reads unhealthy.draining first, its flows kept; the interval's end turns it unhealthy unless it
    /// recovered meanwhile. Called under the gate.
    /// </summary>
    private void ApplyCheckedHealth(TrackedTarget tracked, TimeSpan drainingInterval)
    {
        var health = tracked.Machine.Current;
        if (health.State != TargetHealthStates.Unhealthy) tracked.EndUnhealthyDraining();
        else if (!tracked.IsUnhealthyDraining && drainingInterval > TimeSpan.Zero
                 && tracked.State.Health.State is not (TargetHealthStates.Unhealthy or TargetHealthStates.UnhealthyDraining))
            _ = FinishUnhealthyDrainingAsync(tracked, tracked.StartUnhealthyDraining(), drainingInterval);
        if (tracked.IsUnhealthyDraining) health = health with { State = TargetHealthStates.UnhealthyDraining };
        _selector.ApplyHealth(tracked.State, health, Environment.TickCount64);
    }

    private async Task FinishUnhealthyDrainingAsync(TrackedTarget tracked, int episode, TimeSpan interval)
    {
        await Task.Delay(interval).ConfigureAwait(false);
        lock (_gate)
        {
            // Recovered, deregistered, no longer checked or checked anew since: this interval no longer applies.
            if (_disposed || !tracked.IsUnhealthyDraining || tracked.UnhealthyEpisode != episode) return;
            tracked.EndUnhealthyDraining();
            if (tracked.Machine.Current.State == TargetHealthStates.Unhealthy)
                _selector.ApplyHealth(tracked.State, tracked.Machine.Current, Environment.TickCount64);
        }
    }

    private static TargetSelector NewSelector(TargetGroupSettings settings, IEnumerable<TargetState>? existing) =>
        new(() => TargetBalancerFactory.Create(settings.Algorithm, settings.SlowStartMs), settings.SlowStartMs, settings.MinimumHealthy, settings.CrossZoneEnabled, existing);

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var tracked in _targets.Values) tracked.StopChecks();
        }
        return ValueTask.CompletedTask;
    }

    private sealed class TrackedTarget(TargetState state, HealthStateMachine machine)
    {
        public TargetState State { get; } = state;
        public HealthStateMachine Machine { get; private set; } = machine;
        public CancellationTokenSource? Checks { get; private set; }

        public void StartChecks(TargetGroupRuntime owner)
        {
            var settings = owner._settings.HealthCheck;
            var carried = State.Health.State switch
            {
                TargetHealthStates.Unused => null,
                // The checks restart from what the target is; its draining interval ran out with the old checks.
                TargetHealthStates.UnhealthyDraining => State.Health with { State = TargetHealthStates.Unhealthy },
                _ => State.Health,
            };
            Machine = new HealthStateMachine(settings.HealthyThresholdCount, settings.UnhealthyThresholdCount, carried);
            if (State.Health.State == TargetHealthStates.UnhealthyDraining)
                owner._selector.ApplyHealth(State, Machine.Current, Environment.TickCount64);
            Checks = new CancellationTokenSource();
            _ = owner.RunChecksAsync(this, Checks.Token);
        }

        /// <summary>Counts unhealthy.draining periods, so a timer of an earlier one cannot end a later one.</summary>
        public int UnhealthyEpisode { get; private set; }
        public bool IsUnhealthyDraining { get; private set; }

        public int StartUnhealthyDraining()
        {
            IsUnhealthyDraining = true;
            return ++UnhealthyEpisode;
        }

        public void EndUnhealthyDraining()
        {
            IsUnhealthyDraining = false;
            UnhealthyEpisode++;
        }

        public void StopChecks()
        {
            EndUnhealthyDraining();
            Checks?.Cancel();
            Checks?.Dispose();
            Checks = null;
        }
    }
}
