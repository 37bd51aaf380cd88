using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Elbe.DataPlane.Network;

/// <summary>
/// A Linux pipe that the event-loop relay moves bulk bytes through with splice(2), socket to pipe to socket, so
/// they never reach user space. Rented like a pooled buffer: only while a direction is moving bytes, so an idle flow
/// holds no pipe (two file descriptors) and no pipe pages.
/// </summary>
/// <remarks>
/// Hand-written P/Invoke: no maintained .NET library does splice for sockets, and the runtime does not expose it.
/// Both ends are non-blocking (O_NONBLOCK on the pipe, SOCK_NONBLOCK on the relay's sockets), so a call never
/// parks a loop thread: it moves what it can and says EAGAIN otherwise.
/// </remarks>
internal sealed class SplicePipe
{
    /// <summary>At most this much is in the pipe at once: a default pipe holds 16 pages.</summary>
    public const int Capacity = 64 * 1024;

    private const int EINTR = 4, EAGAIN = 11, EINVAL = 22, ENOSYS = 38, EOPNOTSUPP = 95, ECONNRESET = 104;
    private const int O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
    private const uint SPLICE_F_MOVE = 1, SPLICE_F_NONBLOCK = 2;
    // Enough for the pumps of a busy moment; idle pipes past this are closed, not kept.
    private static readonly int PoolLimit = 8 * Environment.ProcessorCount;
    // Pipes open at once, pooled or in use: past this a bulk direction copies instead, so that many busy flows
    // cannot spend the file descriptors new connections need (each pipe is two).
    private const int OpenLimit = 1024;
    private static readonly ConcurrentQueue<SplicePipe> Pool = new();
    private static int pooled;
    private static int open;

    private readonly int _read;
    private readonly int _write;

    private SplicePipe(int read, int write)
    {
        _read = read;
        _write = write;
    }

    /// <summary>Whether splice relaying is possible on this system at all.</summary>
    public static bool IsSupported { get; } = OperatingSystem.IsLinux();

    /// <summary>An empty pipe, or null when the system will not give one or <see cref="OpenLimit"/> are open.</summary>
    public static SplicePipe? Rent()
    {
        if (Pool.TryDequeue(out var pipe))
        {
            Interlocked.Decrement(ref pooled);
            return pipe;
        }
        if (Interlocked.Increment(ref open) > OpenLimit)
        {
            Interlocked.Decrement(ref open);
            return null;
        }
        var ends = new int[2];
        if (Pipe2(ends, O_NONBLOCK | O_CLOEXEC) == 0) return new SplicePipe(ends[0], ends[1]);
        Interlocked.Decrement(ref open);
        return null;
    }

    /// <summary>Gives back a pipe that is empty; one that may still hold bytes must be <see cref="Close"/>d instead.</summary>
    public static void Return(SplicePipe pipe)
    {
        if (Interlocked.Increment(ref pooled) <= PoolLimit)
        {
            Pool.Enqueue(pipe);
            return;
        }
        Interlocked.Decrement(ref pooled);
        pipe.Close();
    }

    /// <summary>Moves up to <paramref name="count"/> bytes the socket has received into the pipe.</summary>
    /// <returns>The bytes moved, 0 at the end of the stream, or -errno (-EAGAIN: nothing to read after all).</returns>
    public long FillFrom(int socket, int count) => Splice(socket, fromSocket: true, count);

    /// <summary>Moves up to <paramref name="count"/> bytes from the pipe into the socket's send buffer.</summary>
    /// <returns>The bytes moved, or -errno (-EAGAIN: the send buffer is full).</returns>
    public long DrainTo(int socket, int count) => Splice(socket, fromSocket: false, count);

    /// <summary>Reads what is in the pipe into <paramref name="buffer"/>, for a socket that cannot take it now.</summary>
    public int ReadInto(byte[] buffer, int count)
    {
        var total = 0;
        while (total < count)
        {
            var read = (int)Read(_read, ref buffer[total], (nuint)(count - total));
            if (read > 0) total += read;
            else if (read < 0 && Marshal.GetLastPInvokeError() == EINTR) continue;
            else break;
        }
        return total;
    }

    public static bool IsAgain(long result) => result == -EAGAIN;

    /// <summary>Splice does not work on this socket or kernel at all; nothing was consumed.</summary>
    public static bool IsRefused(long result) => result is -EINVAL or -ENOSYS or -EOPNOTSUPP;

    /// <summary>The peer reset the connection; the error is consumed, so the caller must pass the reset on itself.</summary>
    public static bool IsReset(long result) => result == -ECONNRESET;

    public void Close()
    {
        CloseFd(_read);
        CloseFd(_write);
        Interlocked.Decrement(ref open);
    }

    private long Splice(int socket, bool fromSocket, int count)
    {
        while (true)
        {
            var moved = fromSocket
                ? SpliceCall(socket, 0, _write, 0, (nuint)count, SPLICE_F_MOVE | SPLICE_F_NONBLOCK)
                : SpliceCall(_read, 0, socket, 0, (nuint)count, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
            if (moved >= 0) return moved;
            var errno = Marshal.GetLastPInvokeError();
            if (errno != EINTR) return -errno;
        }
    }

    // DllImport with blittable arguments rather than LibraryImport: the generated stubs would need unsafe code.
    [DllImport("libc", EntryPoint = "splice", SetLastError = true)]
    private static extern nint SpliceCall(int fdIn, nint offIn, int fdOut, nint offOut, nuint length, uint flags);

    [DllImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static extern int Pipe2([Out] int[] ends, int flags);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    private static extern nint Read(int fd, ref byte buffer, nuint count);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int CloseFd(int fd);
}
