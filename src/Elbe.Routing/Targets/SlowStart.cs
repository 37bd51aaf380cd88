namespace Elbe.Routing.Targets;

/// <summary>
/// The slow start ramp (slow_start.duration_seconds): a target's traffic share rises linearly from
/// zero to a full share over the duration, measured from <see cref="TargetState.SlowStartSinceTicks"/>.
/// </summary>
public static class SlowStart
{
    public const long NotInSlowStart = long.MinValue;

    /// <summary>Fraction of a full share, in [0, 1]; 1 when the target is not in slow start or the ramp is over.</summary>
    public static double Share(long sinceTicks, long nowTicks, long durationMs)
    {
        if (sinceTicks == NotInSlowStart || durationMs <= 0) return 1;
        long elapsed = nowTicks - sinceTicks;
        if (elapsed >= durationMs) return 1;
        return elapsed <= 0 ? 0 : (double)elapsed / durationMs;
    }

    public static bool IsIn(TargetState target, long nowTicks, long durationMs)
    {
        long since = target.SlowStartSinceTicks;
        return since != NotInSlowStart && durationMs > 0 && nowTicks - since < durationMs;
    }
}
