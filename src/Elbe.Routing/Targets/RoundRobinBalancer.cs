namespace Elbe.Routing.Targets;

/// <summary>
/// round_robin: a shared counter walks the candidates in order. One instance per target group per node,
/// so a target in two groups rotates independently in each.
/// </summary>
/// <remarks>
/// Slow start uses a deterministic skip scheme rather than smooth weighted round robin, because the latter
/// needs per-target mutable "current weight" updated together under a lock. Here every pass of the counter
/// over the candidate list is a round; a target at share s (0..1) accepts its slot in round r only when
/// floor((r+1)·s) &gt; floor(r·s), i.e. in exactly a fraction s of rounds. A refused slot takes the next
/// counter value, which removes the target from that round without favouring its neighbour, so the other
/// targets stay even and the slow-start target gets s/(n-1+s) of the traffic.
/// </remarks>
public sealed class RoundRobinBalancer : ITargetBalancer
{
    private readonly long _slowStartMs;
    private long _counter = -1;

    /// <param name="slowStartMs">slow_start.duration_seconds in milliseconds; 0 disables slow start.</param>
    public RoundRobinBalancer(long slowStartMs = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slowStartMs);
        _slowStartMs = slowStartMs;
    }

    public long SlowStartMs => _slowStartMs;

    public TargetState Pick(ReadOnlySpan<TargetState> candidates, long nowTicks)
    {
        uint n = (uint)candidates.Length;
        if (_slowStartMs == 0)
            return candidates[(int)((ulong)Interlocked.Increment(ref _counter) % n)];

        for (uint attempt = 0; ; attempt++)
        {
            ulong position = (ulong)Interlocked.Increment(ref _counter);
            var target = candidates[(int)(position % n)];
            // After a full pass of refusals (only slow-start targets left) take whatever comes up.
            if (attempt >= n) return target;
            double share = SlowStart.Share(target.SlowStartSinceTicks, nowTicks, _slowStartMs);
            if (share >= 1) return target;
            ulong round = position / n;
            if (Math.Floor((round + 1) * share) > Math.Floor(round * share)) return target;
        }
    }
}
