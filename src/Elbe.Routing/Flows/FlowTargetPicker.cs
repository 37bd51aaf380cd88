using System.Runtime.CompilerServices;
using Elbe.Routing.Targets;

namespace Elbe.Routing.Flows;

/// <summary>
/// Picks the target of a new flow from a target group's routable candidates through a <see cref="MaglevTable"/>
/// built from their endpoints. Candidate sets are immutable and replaced whenever health or registration
/// changes, so each gets its table once (on the first flow that sees it) and later flows only look it up.
/// </summary>
public sealed class FlowTargetPicker
{
    private readonly ConditionalWeakTable<TargetCandidateSet, Built> _tables = [];
    private readonly int _size;

    public FlowTargetPicker(int tableSize = MaglevTable.DefaultSize) => _size = tableSize;

    /// <summary>The target owning <paramref name="hash"/>; null when nothing is routable.</summary>
    public TargetState? Pick(TargetCandidateSet candidates, ulong hash)
    {
        if (candidates.IsEmpty) return null;
        if (!_tables.TryGetValue(candidates, out var built))
            built = _tables.GetValue(candidates, Build);
        var index = built.Table.Lookup(hash);
        return index < 0 ? null : built.Targets[index];
    }

    private Built Build(TargetCandidateSet candidates)
    {
        var targets = candidates.Routable.ToArray();
        var names = new string[targets.Length];
        for (var i = 0; i < targets.Length; i++) names[i] = targets[i].Endpoint;
        return new Built(targets, MaglevTable.Build(names, _size));
    }

    private sealed record Built(TargetState[] Targets, MaglevTable Table);
}
