using System.Net;

namespace Elbe.DataPlane.Network;

/// <summary>
/// The UDP flows of one node socket, bounded: when full, the flow idle longest is evicted to make room, so a
/// flood of new sources (spoofed or not) costs a fixed amount of memory. Kept in recency order by client
/// datagrams; answers from targets only stamp the flow, and a stamped flow at the old end gets a second chance
/// instead of eviction. The lock is this socket's alone and held for a lookup or a list move.
/// </summary>
internal sealed class UdpFlowTable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<UdpClientKey, UdpFlow> _flows = [];
    private readonly LinkedList<UdpFlow> _recency = new();

    public UdpFlowTable(int capacity) => Capacity = capacity;

    public int Capacity { get; }

    public int Count
    {
        get { lock (_gate) return _flows.Count; }
    }

    /// <summary>The live flow of this client, moved to the recent end; null when there is none.</summary>
    public UdpFlow? Find(UdpClientKey client)
    {
        lock (_gate)
        {
            if (!_flows.TryGetValue(client, out var flow)) return null;
            flow.Touch();
            flow.ListedActivity = flow.LastActivity;
            _recency.Remove(flow.Node!);
            _recency.AddFirst(flow.Node!);
            return flow;
        }
    }

    /// <summary>Adds a new flow; returns the flow it evicted to make room, if any, for the caller to close.</summary>
    public UdpFlow? Add(UdpFlow flow)
    {
        lock (_gate)
        {
            UdpFlow? evicted = null;
            if (_flows.Count >= Capacity) evicted = RemoveOldest(long.MaxValue);
            _flows[flow.Key] = flow;
            flow.Node = _recency.AddFirst(flow);
            return evicted;
        }
    }

    /// <summary>Removes every flow idle since before <paramref name="cutoffTicks"/>.</summary>
    public List<UdpFlow> RemoveIdle(long cutoffTicks)
    {
        var removed = new List<UdpFlow>();
        lock (_gate)
        {
            while (RemoveOldest(cutoffTicks) is { } flow) removed.Add(flow);
        }
        return removed;
    }

    public List<UdpFlow> RemoveAll()
    {
        lock (_gate)
        {
            var all = new List<UdpFlow>(_recency);
            _flows.Clear();
            _recency.Clear();
            return all;
        }
    }

    public List<UdpFlow> RemoveWhere(Func<UdpFlow, bool> condition)
    {
        var removed = new List<UdpFlow>();
        lock (_gate)
        {
            foreach (var flow in _recency)
                if (condition(flow)) removed.Add(flow);
            foreach (var flow in removed)
            {
                _flows.Remove(flow.Key);
                _recency.Remove(flow.Node!);
            }
        }
        return removed;
    }

    public void Remove(UdpFlow flow)
    {
        lock (_gate)
        {
            if (!_flows.Remove(flow.Key)) return;
            _recency.Remove(flow.Node!);
        }
    }

    /// <summary>The least recent flow when it has been idle since before <paramref name="cutoffTicks"/>; a flow answers refreshed goes back to the recent end first.</summary>
    private UdpFlow? RemoveOldest(long cutoffTicks)
    {
        // Each flow can be refreshed at most once per call, so the walk is bounded by the table size.
        for (var checkedFlows = 0; checkedFlows <= _flows.Count + 1 && _recency.Last is { } last; checkedFlows++)
        {
            var flow = last.Value;
            if (flow.LastActivity != flow.ListedActivity)
            {
                flow.ListedActivity = flow.LastActivity;
                _recency.Remove(last);
                _recency.AddFirst(last);
                continue;
            }
            if (flow.LastActivity >= cutoffTicks) return null;
            _recency.Remove(last);
            _flows.Remove(flow.Key);
            return flow;
        }
        return null;
    }
}
