using System.Diagnostics;

namespace Elbe.DataPlane.Listeners.Detaching;

/// <summary>
/// Returns the memory of Kestrel's HTTP state to the operating system after a wave of detaches. By the time a
/// connection detaches, its HTTP state has usually been promoted to the oldest generation, which the GC collects
/// rarely and, when it does, keeps the freed space committed; one full compacting collection that decommits what
/// it frees is what shrinks the process. Bounded: only once <see cref="WaveSize"/> connections detached since the
/// last one (each frees ~4.7 KiB of live heap, so a collection frees at least ~4.6 MiB), at most once per
/// <see cref="MinIntervalMs"/>, and when the wave has passed (no detach for <see cref="QuietMs"/>) or has lasted
/// <see cref="MaxWaitMs"/>. The pause it costs is measured in bench/RESULTS.md.
/// </summary>
public static class DetachedStateCollection
{
    public const int WaveSize = 1000;
    /// <summary>
    /// A steady flow of clients pausing past the detach point makes a wave every <see cref="MaxWaitMs"/>; each
    /// collection pauses every thread for tens of milliseconds (40-98 ms measured), so they are kept this far apart.
    /// </summary>
    public const long MinIntervalMs = 30_000;
    public const long MaxWaitMs = 2000;
    /// <summary>One sweep period and a half without a detach: the wave has passed.</summary>
    public const long QuietMs = 150;

    private static int _pending;
    private static long _pendingSince;
    private static long _lastDetachAt;
    private static int _collecting;
    private static long _lastAt = Environment.TickCount64 - MinIntervalMs;
    private static long _collections;
    private static long _pauseTicks;

    /// <summary>Collections run so far.</summary>
    public static long Collections => Interlocked.Read(ref _collections);

    /// <summary>Their total pause.</summary>
    public static TimeSpan TotalPause => TimeSpan.FromTicks(Interlocked.Read(ref _pauseTicks));

    /// <summary>A connection's HTTP state has just been let go (Kestrel has returned from it).</summary>
    public static void Detached()
    {
        var now = Environment.TickCount64;
        if (Interlocked.Increment(ref _pending) == 1) Volatile.Write(ref _pendingSince, now);
        Volatile.Write(ref _lastDetachAt, now);
    }

    /// <summary>After each listener sweep, on its timer thread: collects here when a wave has passed.</summary>
    public static void Swept(long now)
    {
        if (Volatile.Read(ref _pending) < WaveSize) return;
        if (now - Volatile.Read(ref _lastDetachAt) < QuietMs && now - Volatile.Read(ref _pendingSince) < MaxWaitMs) return;
        if (now - Volatile.Read(ref _lastAt) < MinIntervalMs) return;
        if (Interlocked.CompareExchange(ref _collecting, 1, 0) != 0) return;
        try
        {
            Collect();
        }
        finally
        {
            Volatile.Write(ref _collecting, 0);
        }
    }

    private static void Collect()
    {
        Interlocked.Exchange(ref _pending, 0);
        var pause = Stopwatch.StartNew();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Interlocked.Add(ref _pauseTicks, pause.Elapsed.Ticks);
        Interlocked.Increment(ref _collections);
        Volatile.Write(ref _lastAt, Environment.TickCount64);
    }
}
