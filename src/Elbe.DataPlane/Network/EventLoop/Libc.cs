using System.Runtime.InteropServices;

namespace Elbe.DataPlane.Network.EventLoop;

/// <summary>
/// The Linux system calls the event-loop relay is written on. Raw file descriptors, no SafeHandles: each is closed
/// exactly once, a flow's by the loop thread that owns the flow, a listener's only after every loop stopped watching it.
/// The HTTP listeners' connections, which several threads use, go through <see cref="SocketDescriptor"/>.
/// </summary>
/// <remarks>
/// DllImport with blittable arguments (ints, pointers as <c>ref byte</c>) rather than LibraryImport: the generated
/// stubs would need unsafe code (this project allows none), and these need no marshalling at all.
/// </remarks>
internal static class Libc
{
    public const int AF_INET = 2, AF_INET6 = 10;
    public const int SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
    public const int SOL_SOCKET = 1, SO_REUSEADDR = 2, SO_ERROR = 4, SO_LINGER = 13;
    public const int SOL_IP = 0, IP_TRANSPARENT = 19, IP_BIND_ADDRESS_NO_PORT = 24;
    public const int SOL_IPV6 = 41, IPV6_TRANSPARENT = 75;
    public const int IPPROTO_TCP = 6, TCP_NODELAY = 1;
    public const int SHUT_WR = 1, SHUT_RDWR = 2;
    public const uint FIONREAD = 0x541B;
    public const int MSG_NOSIGNAL = 0x4000;

    public const int EPERM = 1, EINTR = 4, EBADF = 9, EAGAIN = 11, ENOMEM = 12, EACCES = 13, ENFILE = 23, EMFILE = 24,
        EADDRINUSE = 98, EADDRNOTAVAIL = 99, ECONNABORTED = 103, ENOBUFS = 105, ECONNREFUSED = 111, EINPROGRESS = 115;

    public const uint EPOLLIN = 0x1, EPOLLOUT = 0x4, EPOLLERR = 0x8, EPOLLHUP = 0x10, EPOLLRDHUP = 0x2000,
        EPOLLEXCLUSIVE = 1u << 28, EPOLLET = 1u << 31;
    public const int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2;
    public const int EPOLL_CLOEXEC = 0x80000;
    public const int EFD_NONBLOCK = 0x800, EFD_CLOEXEC = 0x80000;

    /// <summary>struct epoll_event is packed (12 bytes) on x86-64 and naturally aligned (16) elsewhere.</summary>
    public static readonly int EpollEventSize = RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86 ? 12 : 16;
    public static readonly int EpollDataOffset = EpollEventSize == 12 ? 4 : 8;

    public static int Errno => Marshal.GetLastPInvokeError();

    [DllImport("libc", EntryPoint = "socket", SetLastError = true)]
    public static extern int Socket(int domain, int type, int protocol);

    [DllImport("libc", EntryPoint = "bind", SetLastError = true)]
    public static extern int Bind(int fd, ref byte address, int length);

    [DllImport("libc", EntryPoint = "listen", SetLastError = true)]
    public static extern int Listen(int fd, int backlog);

    [DllImport("libc", EntryPoint = "connect", SetLastError = true)]
    public static extern int Connect(int fd, ref byte address, int length);

    [DllImport("libc", EntryPoint = "accept4", SetLastError = true)]
    public static extern int Accept4(int fd, ref byte address, ref int length, int flags);

    [DllImport("libc", EntryPoint = "getsockname", SetLastError = true)]
    public static extern int GetSockName(int fd, ref byte address, ref int length);

    [DllImport("libc", EntryPoint = "recv", SetLastError = true)]
    public static extern nint Recv(int fd, ref byte buffer, nuint length, int flags);

    [DllImport("libc", EntryPoint = "send", SetLastError = true)]
    public static extern nint Send(int fd, ref byte buffer, nuint length, int flags);

    [DllImport("libc", EntryPoint = "recvfrom", SetLastError = true)]
    public static extern nint RecvFrom(int fd, ref byte buffer, nuint length, int flags, ref byte address, ref int addressLength);

    [DllImport("libc", EntryPoint = "sendto", SetLastError = true)]
    public static extern nint SendTo(int fd, ref byte buffer, nuint length, int flags, ref byte address, int addressLength);

    /// <param name="vector">A pinned array of struct mmsghdr (see <see cref="DatagramBatch"/>).</param>
    [DllImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    public static extern int RecvMmsg(int fd, nint vector, uint length, int flags, nint timeout);

    [DllImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    public static extern int SendMmsg(int fd, nint vector, uint length, int flags);

    [DllImport("libc", EntryPoint = "shutdown", SetLastError = true)]
    public static extern int Shutdown(int fd, int how);

    /// <summary>ioctl with an int argument (FIONREAD: bytes waiting to be read).</summary>
    [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static extern int Ioctl(int fd, nuint request, ref int value);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    public static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    public static extern int SetSockOpt(int fd, int level, int name, ref int value, int length);

    [DllImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    public static extern int SetSockOpt(int fd, int level, int name, ref Linger value, int length);

    [DllImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    public static extern int GetSockOpt(int fd, int level, int name, ref int value, ref int length);

    [DllImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    public static extern int EpollCreate1(int flags);

    [DllImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    public static extern int EpollCtl(int epoll, int op, int fd, ref byte epollEvent);

    [DllImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    public static extern int EpollWait(int epoll, ref byte events, int maxEvents, int timeoutMs);

    [DllImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    public static extern int EventFd(uint initial, int flags);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    public static extern nint Read(int fd, ref byte buffer, nuint count);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    public static extern nint Write(int fd, ref byte buffer, nuint count);

    public const int RLIMIT_NOFILE = 7;

    [StructLayout(LayoutKind.Sequential)]
    public struct ResourceLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [DllImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    public static extern int GetRLimit(int resource, out ResourceLimit limit);

    [StructLayout(LayoutKind.Sequential)]
    public struct Linger
    {
        public int OnOff;
        public int Seconds;
    }

    public static int SetInt(int fd, int level, int name, int value) => SetSockOpt(fd, level, name, ref value, sizeof(int));

    /// <summary>Closes with SO_LINGER 0, so the peer gets a reset instead of a FIN.</summary>
    public static void CloseWithReset(int fd)
    {
        var linger = new Linger { OnOff = 1, Seconds = 0 };
        SetSockOpt(fd, SOL_SOCKET, SO_LINGER, ref linger, 8);
        Close(fd);
    }

    /// <summary>The pending error of a socket (a failed connect, a reset), 0 when there is none.</summary>
    public static int PendingError(int fd)
    {
        int error = 0, length = sizeof(int);
        return GetSockOpt(fd, SOL_SOCKET, SO_ERROR, ref error, ref length) == 0 ? error : Errno;
    }

    /// <summary>Registers <paramref name="fd"/> with <paramref name="epoll"/>; false with errno set when it cannot.</summary>
    public static bool EpollAdd(int epoll, int fd, uint events, ulong data)
    {
        Span<byte> entry = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(entry, events);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(entry[EpollDataOffset..], data);
        return EpollCtl(epoll, EPOLL_CTL_ADD, fd, ref MemoryMarshal.GetReference(entry)) == 0;
    }

    public static void EpollDelete(int epoll, int fd)
    {
        Span<byte> entry = stackalloc byte[16];
        EpollCtl(epoll, EPOLL_CTL_DEL, fd, ref MemoryMarshal.GetReference(entry));
    }
}
