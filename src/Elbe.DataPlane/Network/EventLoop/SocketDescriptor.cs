using System.Runtime.InteropServices;
using static Elbe.DataPlane.Network.EventLoop.Libc;

namespace Elbe.DataPlane.Network.EventLoop;

/// <summary>
/// A socket that more than one thread uses: an HTTP listener's client connection is read by its loop, written by
/// whichever thread finishes a response and closed by whichever ends it. The descriptor is counted while a call is
/// in the kernel and closed only when the last call returns, so a number the kernel has already reused for another
/// connection is never read or written. A relay flow needs none of this: only its loop touches it.
/// </summary>
internal sealed class SocketDescriptor : SafeHandle
{
    public SocketDescriptor(int fd) : base(-1, ownsHandle: true) => SetHandle(fd);

    public override bool IsInvalid => handle == -1;

    /// <summary>The number, for epoll_ctl on the loop that owns it before anyone else can close it.</summary>
    public int Number => (int)handle;

    /// <summary>Bytes received, 0 at the end of the stream, or minus the errno (-EBADF once closed).</summary>
    public nint Receive(Span<byte> buffer)
    {
        var held = false;
        try
        {
            DangerousAddRef(ref held);
            var n = Recv((int)handle, ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length, 0);
            return n >= 0 ? n : -Errno;
        }
        catch (ObjectDisposedException)
        {
            return -EBADF;
        }
        finally
        {
            if (held) DangerousRelease();
        }
    }

    /// <summary>Bytes sent, or minus the errno (-EBADF once closed).</summary>
    public nint Send(ReadOnlySpan<byte> buffer)
    {
        var held = false;
        try
        {
            DangerousAddRef(ref held);
            var n = Libc.Send((int)handle, ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length, MSG_NOSIGNAL);
            return n >= 0 ? n : -Errno;
        }
        catch (ObjectDisposedException)
        {
            return -EBADF;
        }
        finally
        {
            if (held) DangerousRelease();
        }
    }

    /// <summary>Bytes waiting in the receive queue; 0 when none or closed.</summary>
    public int Available()
    {
        var held = false;
        try
        {
            DangerousAddRef(ref held);
            var available = 0;
            return Ioctl((int)handle, FIONREAD, ref available) == 0 ? available : 0;
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
        finally
        {
            if (held) DangerousRelease();
        }
    }

    protected override bool ReleaseHandle() => Libc.Close((int)handle) == 0;
}
