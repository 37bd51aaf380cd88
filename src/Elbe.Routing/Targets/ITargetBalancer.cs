namespace Elbe.Routing.Targets;

/// <summary>
/// One routing algorithm (load_balancing.algorithm.type). Picks among candidates that are already
/// filtered to the routable set (healthy, or all when failing open). Must be thread-safe and lock-free.
/// </summary>
public interface ITargetBalancer
{
    /// <param name="candidates">Never empty.</param>
    /// <param name="nowTicks">Environment.TickCount64, for slow start.</param>
    TargetState Pick(ReadOnlySpan<TargetState> candidates, long nowTicks);
}
