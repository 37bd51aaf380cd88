namespace Elbe.Routing.Flows;

/// <summary>
/// Maglev consistent hashing (Eisenbud et al., NSDI 2016): a lookup table of prime size in which every target
/// claims slots in the order of its own permutation, taking turns, so each owns about the same share. Removing
/// a target frees only its slots (plus a few reshuffled by the refill); two tables built from the same target
/// names are identical whatever order the names came in, so two nodes send a flow to the same target.
/// Immutable; <see cref="Lookup"/> is one array read.
/// </summary>
public sealed class MaglevTable
{
    /// <summary>Prime, and well above 100 × any realistic target count, which keeps the shares within ~1 %.</summary>
    public const int DefaultSize = 65_537;

    private const ulong OffsetSeed = 0x6d61676c65764f66; // "maglevOf"
    private const ulong SkipSeed = 0x6d61676c65765370;   // "maglevSp"

    private readonly int[] _slots;

    private MaglevTable(int[] slots) => _slots = slots;

    public int Size => _slots.Length;

    /// <summary>The index (into the names given to <see cref="Build"/>) owning <paramref name="hash"/>; -1 for an empty table.</summary>
    public int Lookup(ulong hash) => _slots.Length == 0 ? -1 : _slots[(int)(hash % (ulong)_slots.Length)];

    /// <param name="names">Distinct, stable target identities (address:port).</param>
    /// <param name="size">Must be prime for every permutation to visit every slot.</param>
    public static MaglevTable Build(IReadOnlyList<string> names, int size = DefaultSize)
    {
        if (size < 2 || !IsPrime(size)) throw new ArgumentOutOfRangeException(nameof(size), size, "The table size must be a prime.");
        if (names.Count == 0) return new MaglevTable([]);

        // Claim turns go in name order, not registration order: otherwise ties would differ between nodes.
        var order = new int[names.Count];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(order, (a, b) => string.CompareOrdinal(names[a], names[b]));

        var offsets = new long[order.Length];
        var skips = new long[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            var name = names[order[i]];
            offsets[i] = (long)(StableHash.Of(name, OffsetSeed) % (ulong)size);
            skips[i] = (long)(StableHash.Of(name, SkipSeed) % (ulong)(size - 1)) + 1;
        }

        var slots = new int[size];
        Array.Fill(slots, -1);
        var next = new long[order.Length];
        var filled = 0;
        while (true)
        {
            for (var i = 0; i < order.Length; i++)
            {
                long slot;
                do
                {
                    slot = (offsets[i] + next[i] * skips[i]) % size;
                    next[i]++;
                } while (slots[slot] >= 0);
                slots[slot] = order[i];
                if (++filled == size) return new MaglevTable(slots);
            }
        }
    }

    private static bool IsPrime(int n)
    {
        if (n % 2 == 0) return n == 2;
        for (var d = 3; (long)d * d <= n; d += 2)
            if (n % d == 0) return false;
        return true;
    }
}
