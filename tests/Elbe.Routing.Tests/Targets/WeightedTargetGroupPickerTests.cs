using Elbe.Routing.Targets;

namespace Elbe.Routing.Tests.Targets;

public class WeightedTargetGroupPickerTests
{
    [Fact]
    public void Shares_follow_weights_within_five_percent()
    {
        var picker = new WeightedTargetGroupPicker<string>([("blue", 1), ("green", 3), ("red", 0), ("grey", 6)]);
        var counts = new Dictionary<string, int>();
        for (int i = 0; i < 10_000; i++)
        {
            var group = picker.Pick()!;
            counts[group] = counts.GetValueOrDefault(group) + 1;
        }

        Assert.False(counts.ContainsKey("red"));
        Assert.InRange(counts["blue"] / 10_000.0, 0.10 - 0.05, 0.10 + 0.05);
        Assert.InRange(counts["green"] / 10_000.0, 0.30 - 0.05, 0.30 + 0.05);
        Assert.InRange(counts["grey"] / 10_000.0, 0.60 - 0.05, 0.60 + 0.05);
    }

    [Fact]
    public void Rolls_map_onto_cumulative_weights()
    {
        var picker = new WeightedTargetGroupPicker<string>([("a", 2), ("zero", 0), ("b", 1)]);
        Assert.Equal(3, picker.TotalWeight);
        Assert.Equal("a", picker.PickAt(0));
        Assert.Equal("a", picker.PickAt(1));
        Assert.Equal("b", picker.PickAt(2));
    }

    [Fact]
    public void All_zero_weights_pick_nothing() =>
        Assert.Null(new WeightedTargetGroupPicker<string>([("a", 0), ("b", 0)]).Pick());

    [Fact]
    public void Rejects_out_of_range_input()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WeightedTargetGroupPicker<string>([("a", 1000)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WeightedTargetGroupPicker<string>([("a", -1)]));
        Assert.Throws<ArgumentException>(() => new WeightedTargetGroupPicker<string>([("a", 1), ("b", 1), ("c", 1), ("d", 1), ("e", 1), ("f", 1)]));
    }
}
