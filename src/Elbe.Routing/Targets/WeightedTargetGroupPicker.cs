namespace Elbe.Routing.Targets;

/// <summary>
/// Chooses the target group for a weighted forward action (up to 5 groups, weight 0-999 each): share =
/// weight / sum of weights; weight 0 is never chosen by weight (only a stickiness cookie can still lead there).
/// Immutable after construction and lock-free; the randomness is Random.Shared.
/// </summary>
public sealed class WeightedTargetGroupPicker<TGroup> where TGroup : class
{
    public const int MaxGroups = 5;
    public const int MaxWeight = 999;

    private readonly TGroup[] _groups;
    // Running totals: group i wins a roll r in [0, total) when _cumulative[i-1] <= r < _cumulative[i].
    private readonly int[] _cumulative;

    public WeightedTargetGroupPicker(IReadOnlyList<(TGroup Group, int Weight)> choices)
    {
        if (choices.Count > MaxGroups)
            throw new ArgumentException($"A forward action takes at most {MaxGroups} target groups.", nameof(choices));
        _groups = new TGroup[choices.Count];
        _cumulative = new int[choices.Count];
        int total = 0;
        for (int i = 0; i < choices.Count; i++)
        {
            var (group, weight) = choices[i];
            ArgumentOutOfRangeException.ThrowIfNegative(weight);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(weight, MaxWeight);
            _groups[i] = group;
            total += weight;
            _cumulative[i] = total;
        }
        TotalWeight = total;
    }

    public int TotalWeight { get; }

    /// <summary>A group chosen by weight; null when every weight is 0 (the caller answers 503).</summary>
    public TGroup? Pick() => TotalWeight == 0 ? null : PickAt(Random.Shared.Next(TotalWeight));

    /// <summary>The group owning <paramref name="roll"/> in [0, <see cref="TotalWeight"/>); exposed for deterministic tests.</summary>
    public TGroup PickAt(int roll)
    {
        var cumulative = _cumulative;
        for (int i = 0; i < cumulative.Length; i++)
            if (roll < cumulative[i]) return _groups[i];
        throw new ArgumentOutOfRangeException(nameof(roll));
    }
}
