using System.Buffers;
using System.Net.Sockets;

namespace Elbe.DataPlane.Forwarding.Http1;

/// <summary>
/// Bytes on their way to the target: the request head is written into one pooled buffer and sent with one send
/// call; large body segments go to the socket as they are, without a copy.
/// </summary>
public sealed class TargetOutput(Socket socket) : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);
    private int _count;

    public int Count => _count;

    public void Advance(int count) => _count += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_count);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_count);
    }

    private void Reserve(int sizeHint)
    {
        var needed = _count + Math.Max(sizeHint, 1);
        if (needed <= _buffer.Length) return;
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
        _buffer.AsSpan(0, _count).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    /// <summary>Sends what is buffered.</summary>
    public ValueTask FlushAsync()
    {
        if (_count == 0) return ValueTask.CompletedTask;
        var count = _count;
        _count = 0;
        return SendAsync(_buffer.AsMemory(0, count));
    }

    /// <summary>Sends <paramref name="bytes"/> as they are; anything buffered must have been flushed first.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await socket.SendAsync(bytes, SocketFlags.None);
            if (sent <= 0) throw new IOException("The target stopped accepting data.");
            bytes = bytes[sent..];
        }
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }
}
