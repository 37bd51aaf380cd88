namespace Elbe.Routing.Targets;

/// <summary>
/// least_outstanding_requests: the candidate with the fewest in-flight requests. The scan starts at a
/// rotating offset so that equal targets (the common idle case) take turns instead of the first one
/// getting everything.
/// </summary>
public sealed class LeastOutstandingRequestsBalancer : ITargetBalancer
{
    private long _rotation = -1;

    public TargetState Pick(ReadOnlySpan<TargetState> candidates, long nowTicks)
    {
        uint n = (uint)candidates.Length;
        int start = (int)((ulong)Interlocked.Increment(ref _rotation) % n);
        TargetState best = candidates[start];
        int fewest = best.OutstandingRequests;
        for (int i = 1; i < candidates.Length && fewest > 0; i++)
        {
            int index = start + i;
            if (index >= candidates.Length) index -= candidates.Length;
            var target = candidates[index];
            int outstanding = target.OutstandingRequests;
            if (outstanding < fewest)
            {
                best = target;
                fewest = outstanding;
            }
        }
        return best;
    }
}
