namespace Elbe.Routing.Targets;

/// <summary>
/// The routable targets of one target group as each zone's load balancer node sees them when cross-zone load
/// balancing is off (fact sheet 0.2, 1.9): a node uses only the targets in its own zone plus those registered
/// with the availability zone <c>all</c>, and fails open or applies minimum_healthy_targets over that scope
/// alone. Immutable; rebuilt together with the all-zones <see cref="TargetCandidateSet"/>.
/// </summary>
/// <remarks>
/// Each zone carries its own balancer because round robin rotates per node: one counter shared by nodes with
/// different candidate lists would let one zone's requests skip slots of another's.
/// </remarks>
public sealed class ZonalTargetCandidates
{
    /// <summary>The zone of a target reachable from every zone (TargetDescription.AvailabilityZone = all).</summary>
    public const string AllZones = "all";

    private readonly Dictionary<string, (TargetCandidateSet Candidates, ITargetBalancer Balancer)> _byZone;
    // A zone none of whose targets lives in it still reaches the "all" targets.
    private readonly (TargetCandidateSet Candidates, ITargetBalancer Balancer) _anyOtherZone;

    private ZonalTargetCandidates(
        Dictionary<string, (TargetCandidateSet, ITargetBalancer)> byZone,
        (TargetCandidateSet, ITargetBalancer) anyOtherZone)
    {
        _byZone = byZone;
        _anyOtherZone = anyOtherZone;
    }

    /// <summary>What a node in <paramref name="zone"/> may route to; never null, possibly empty.</summary>
    public TargetCandidateSet For(string zone) => Route(zone).Candidates;

    /// <summary>The zone's candidates and the balancer that rotates over them. Allocation-free.</summary>
    public (TargetCandidateSet Candidates, ITargetBalancer Balancer) Route(string zone) =>
        _byZone.TryGetValue(zone, out var route) ? route : _anyOtherZone;

    /// <param name="balancerFor">The balancer for a zone; the caller keeps it across rebuilds so rotations
    /// survive health changes. Called with <see cref="AllZones"/> for zones without targets of their own.</param>
    public static ZonalTargetCandidates Build(ReadOnlySpan<TargetState> registered, MinimumHealthyTargets minimum, Func<string, ITargetBalancer> balancerFor)
    {
        var zones = new List<string>();
        var everywhere = new List<TargetState>();
        foreach (var target in registered)
        {
            if (target.ZoneName == AllZones) everywhere.Add(target);
            else if (!zones.Contains(target.ZoneName)) zones.Add(target.ZoneName);
        }

        var byZone = new Dictionary<string, (TargetCandidateSet, ITargetBalancer)>(zones.Count, StringComparer.Ordinal);
        var scope = new List<TargetState>(registered.Length);
        foreach (var zone in zones)
        {
            scope.Clear();
            foreach (var target in registered)
                if (target.ZoneName == zone || target.ZoneName == AllZones) scope.Add(target);
            byZone[zone] = (TargetCandidateSet.Build(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(scope), minimum), balancerFor(zone));
        }
        var anyOther = (TargetCandidateSet.Build(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(everywhere), minimum), balancerFor(AllZones));
        return new ZonalTargetCandidates(byZone, anyOther);
    }
}
