using System.Diagnostics;

namespace Elbe.DataPlane.Listeners.Detaching;

/// <summary>
/// Returns the memory of Kestrel's HTTP state to the operating system after a wave of detaches. By the time a
/// connection detaches, its HTTP state has usually been promoted to the oldest generation, which the GC collects
/// rarely and, when it does, keeps the freed space committed; one full compacting collection that decommits what
/// it frees is what shrinks the process. Bounded: only once <see cref="WaveSize"/> connections detached since the
/// last one (each frees ~9 KiB, so a collection frees at least ~9 MiB), at most once per
/// <see cref="MinIntervalMs"/>, and when the wave has passed (a sweep that detached few) or has lasted
/// <see cref="MaxWaitMs"/>. The pause it costs is measured in bench/RESULTS.md.
/// </summary>
public static class DetachedStateCollection
{
    public const int WaveSize = 1000;
    public const long MinIntervalMs = 1000;
    public const long MaxWaitMs = 2000;
    /// <summary>A sweep that detaches fewer than this means the wave has passed.</summary>
    private const int QuietSweep = 50;
    /// <summary>Detached connections unwind Kestrel's HTTP state on the thread pool; this is ample for it.</summary>
    private const int SettleMs = 100;

    private static readonly Timer Collector = new(_ => Collect(), null, Timeout.Infinite, Timeout.Infinite);
    private static int _pending;
    private static long _pendingSince;
    private static int _armed;
    private static long _lastAt = Environment.TickCount64 - MinIntervalMs;
    private static long _collections;
    private static long _pauseTicks;

    /// <summary>Collections run so far.</summary>
    public static long Collections => Interlocked.Read(ref _collections);

    /// <summary>Their total pause.</summary>
    public static TimeSpan TotalPause => TimeSpan.FromTicks(Interlocked.Read(ref _pauseTicks));

    /// <summary>A connection's HTTP state has just been let go.</summary>
    public static void Detached()
    {
        if (Interlocked.Increment(ref _pending) == 1) Volatile.Write(ref _pendingSince, Environment.TickCount64);
    }

    /// <summary>A listener's sweep has asked <paramref name="detaching"/> connections to detach.</summary>
    public static void Swept(int detaching, long now)
    {
        if (Volatile.Read(ref _pending) < WaveSize) return;
        if (detaching >= QuietSweep && now - Volatile.Read(ref _pendingSince) < MaxWaitMs) return;
        if (now - Volatile.Read(ref _lastAt) < MinIntervalMs) return;
        if (Interlocked.CompareExchange(ref _armed, 1, 0) == 0) Collector.Change(SettleMs, Timeout.Infinite);
    }

    private static void Collect()
    {
        Interlocked.Exchange(ref _pending, 0);
        var pause = Stopwatch.StartNew();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Interlocked.Add(ref _pauseTicks, pause.Elapsed.Ticks);
        Interlocked.Increment(ref _collections);
        Volatile.Write(ref _lastAt, Environment.TickCount64);
        if (Environment.GetEnvironmentVariable("ELBE_DEBUG_GC") is not null)
            Console.Error.WriteLine($"detached-state collection {Collections}: {pause.Elapsed.TotalMilliseconds:0.0} ms, heap {GC.GetTotalMemory(false) / 1024} KiB");
        Volatile.Write(ref _armed, 0);
    }
}
