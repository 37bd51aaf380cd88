using System.Buffers;
using System.Net.Sockets;

namespace Elbe.DataPlane.Forwarding.Http1;

/// <summary>
/// What the target sent and the exchange has not consumed yet, in one pooled buffer read straight off the socket.
/// Measured against a PipeReader over a NetworkStream, this saves the reader's state machine box on every read that
/// waits (about 160 bytes a request) and a layer of copying; responses are parsed in place and bodies copied once,
/// into Kestrel's response pipe.
/// </summary>
/// <param name="tls">The TLS stream over the socket for HTTPS targets; null for plain HTTP, read straight off the socket.</param>
public sealed class TargetInput(Socket socket, Stream? tls) : IDisposable
{
    private const int InitialSize = 16 * 1024;
    // A head may be up to the parser's limit; the buffer grows to hold one, never more.
    private const int MaxSize = 64 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    private int _start;
    private int _end;

    public int Count => _end - _start;
    public ReadOnlySpan<byte> Span => _buffer.AsSpan(_start, _end - _start);
    public ReadOnlySequence<byte> Sequence => new(_buffer, _start, _end - _start);

    public void Consume(long count)
    {
        _start += (int)count;
        if (_start == _end) _start = _end = 0;
    }

    /// <summary>
    /// Reads more from the target after what is buffered; 0 when the target closed its side. The caller passes the
    /// count to <see cref="Received"/>: the socket's own ValueTask is returned as is, so a read that waits allocates nothing.
    /// </summary>
    public ValueTask<int> ReceiveMoreAsync()
    {
        if (_end == _buffer.Length) MakeRoom();
        return ReceiveAsync(_buffer.AsMemory(_end));
    }

    public void Received(int count) => _end += count;

    /// <summary>Receives up to <paramref name="destination"/>'s length straight into it, bypassing the buffer (which must be empty).</summary>
    public ValueTask<int> ReceiveAsync(Memory<byte> destination) =>
        tls is null ? socket.ReceiveAsync(destination, SocketFlags.None) : tls.ReadAsync(destination);

    private void MakeRoom()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
            return;
        }
        if (_buffer.Length >= MaxSize) throw new InvalidDataException("The target's response head does not fit the buffer.");
        var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
        _buffer.AsSpan(0, _end).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }
}
