namespace Elbe.Routing.Flows;

/// <summary>
/// A 64-bit hash that is the same in every process and on every machine (string.GetHashCode is seeded per
/// process), so two nodes hashing the same flow or target name get the same value. FNV-1a over the bytes,
/// then a SplitMix64 finaliser because FNV alone mixes the last bytes poorly into the high bits.
/// </summary>
public static class StableHash
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    public static ulong Of(ReadOnlySpan<byte> bytes, ulong seed = 0) => Finish(Add(Start(seed), bytes));

    public static ulong Of(ReadOnlySpan<char> text, ulong seed = 0)
    {
        var hash = Start(seed);
        foreach (var c in text)
        {
            hash = (hash ^ (byte)c) * FnvPrime;
            hash = (hash ^ (byte)(c >> 8)) * FnvPrime;
        }
        return Finish(hash);
    }

    public static ulong Start(ulong seed) => FnvOffset ^ seed;

    public static ulong Add(ulong hash, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes) hash = (hash ^ b) * FnvPrime;
        return hash;
    }

    public static ulong Add(ulong hash, ulong value)
    {
        for (var i = 0; i < 8; i++, value >>= 8) hash = (hash ^ (byte)value) * FnvPrime;
        return hash;
    }

    public static ulong Finish(ulong hash)
    {
        hash ^= hash >> 30;
        hash *= 0xBF58476D1CE4E5B9UL;
        hash ^= hash >> 27;
        hash *= 0x94D049BB133111EBUL;
        return hash ^ (hash >> 31);
    }
}
