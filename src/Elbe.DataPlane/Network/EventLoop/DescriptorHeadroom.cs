using static Elbe.DataPlane.Network.EventLoop.Libc;

namespace Elbe.DataPlane.Network.EventLoop;

/// <summary>
/// Keeps the listeners from filling the process's descriptor table: the last <see cref="Headroom"/> descriptors are
/// left to the runtime (which fails hard, "Out of memory.", when it cannot open a file it needs), health checks and
/// target connections. Linux hands out the lowest free descriptor, so a descriptor numbered at or above
/// <see cref="Threshold"/> shows that fewer than <see cref="Headroom"/> are free: nothing has to be counted.
/// </summary>
internal static class DescriptorHeadroom
{
    /// <summary>The soft RLIMIT_NOFILE, read once (the .NET runtime raises it to the hard limit as it starts).</summary>
    public static int Limit { get; } = ReadLimit();

    /// <summary>An eighth of the table, at least 32 and at most 1,024 descriptors.</summary>
    public static int Headroom { get; } = Math.Clamp(Limit / 8, 32, 1024);

    public static int Threshold { get; } = Math.Max(Limit - Headroom, 0);

    private static volatile bool _short;

    /// <summary>
    /// True from a descriptor seen past the threshold (or accept4's EMFILE) until <see cref="TryRecover"/> finds room
    /// again: every listener pauses instead of accepting, so one loop's pause does not leave the room to another.
    /// </summary>
    public static bool IsShort => _short;

    /// <summary>After accept4 returned <paramref name="fd"/>: false, and the process marked short, when it lies in the headroom.</summary>
    public static bool Fits(int fd)
    {
        if (fd < Threshold) return true;
        _short = true;
        return false;
    }

    public static void MarkShort() => _short = true;

    /// <summary>Why listeners pause, for the log.</summary>
    public static string Reason => $"fewer than {Headroom} of the process's {Limit} file descriptors are free";

    /// <summary>Whether the lowest free descriptor lies below the threshold again, probed with an eventfd opened and closed.</summary>
    public static bool TryRecover()
    {
        var probe = EventFd(0, EFD_CLOEXEC);
        if (probe < 0) return false;
        Close(probe);
        if (probe >= Threshold) return false;
        _short = false;
        return true;
    }

    private static int ReadLimit() =>
        GetRLimit(RLIMIT_NOFILE, out var limit) == 0 ? (int)Math.Min(limit.Current, int.MaxValue) : int.MaxValue;
}
