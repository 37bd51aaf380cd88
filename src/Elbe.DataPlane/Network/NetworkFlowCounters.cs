namespace Elbe.DataPlane.Network;

/// <summary>Per-listener flow counts, named after their CloudWatch counterparts (fact sheet 2.9) where there is one.</summary>
public sealed class NetworkFlowCounters
{
    private long _newFlows;
    private long _activeFlows;
    private long _idleTimeouts;
    private long _elbResets;
    private long _evicted;
    private long _targetConnectErrors;

    /// <summary>NewFlowCount.</summary>
    public long NewFlows => Interlocked.Read(ref _newFlows);
    /// <summary>ActiveFlowCount.</summary>
    public long ActiveFlows => Interlocked.Read(ref _activeFlows);
    /// <summary>Flows dropped after the idle timeout.</summary>
    public long IdleTimeouts => Interlocked.Read(ref _idleTimeouts);
    /// <summary>TCP_ELB_Reset_Count: resets the load balancer sent itself.</summary>
    public long ElbResets => Interlocked.Read(ref _elbResets);
    /// <summary>UDP flows evicted, oldest idle first, because the flow table was full.</summary>
    public long EvictedFlows => Interlocked.Read(ref _evicted);
    /// <summary>New flows whose target could not be reached (or had no target): the client was reset or dropped.</summary>
    public long TargetConnectErrors => Interlocked.Read(ref _targetConnectErrors);

    internal void FlowStarted()
    {
        Interlocked.Increment(ref _newFlows);
        Interlocked.Increment(ref _activeFlows);
    }

    internal void FlowEnded() => Interlocked.Decrement(ref _activeFlows);
    internal void IdleTimedOut() => Interlocked.Increment(ref _idleTimeouts);
    internal void ResetSent() => Interlocked.Increment(ref _elbResets);
    internal void Evicted() => Interlocked.Increment(ref _evicted);
    internal void TargetConnectFailed() => Interlocked.Increment(ref _targetConnectErrors);
}
