using System.Buffers;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Elbe.DataPlane.Forwarding.Http1;

/// <summary>
/// Bytes on their way to the target: the request head is written into one pooled buffer and sent with one send
/// call; large body pieces go to the socket as they are, gathered with what is buffered into one send, without a copy.
/// </summary>
/// <param name="tls">The TLS stream over the socket for HTTPS targets; null for plain HTTP, written straight to the socket.</param>
public sealed class TargetOutput(Socket socket, Stream? tls) : IBufferWriter<byte>, IDisposable
{
    private static readonly byte[] CrLf = "\r\n"u8.ToArray();

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);
    private int _count;
    private readonly List<ArraySegment<byte>> _gather = new(32);

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
        if (tls is not null)
        {
            await tls.WriteAsync(bytes);
            return;
        }
        while (!bytes.IsEmpty)
        {
            var sent = await socket.SendAsync(bytes, SocketFlags.None);
            if (sent <= 0) throw new IOException("The target stopped accepting data.");
            bytes = bytes[sent..];
        }
    }

    /// <summary>
    /// Sends what is buffered, then <paramref name="body"/>, then CRLF when <paramref name="endChunk"/>, in one gathering
    /// send; false when a piece of the body is not array-backed or the connection is TLS (the caller then copies it).
    /// </summary>
    public async ValueTask<bool> TrySendGatheredAsync(ReadOnlySequence<byte> body, bool endChunk)
    {
        // TLS encrypts record by record anyway: its bodies take the copying path.
        if (tls is not null) return false;
        _gather.Clear();
        if (_count > 0) _gather.Add(new ArraySegment<byte>(_buffer, 0, _count));
        foreach (var piece in body)
        {
            if (!MemoryMarshal.TryGetArray(piece, out var segment))
            {
                _gather.Clear();
                return false;
            }
            _gather.Add(segment);
        }
        if (endChunk) _gather.Add(CrLf);
        var total = _count + body.Length + (endChunk ? CrLf.Length : 0);
        _count = 0;
        var sent = await socket.SendAsync(_gather, SocketFlags.None);
        _gather.Clear();
        // A stream socket's gathering send completes only when everything went, or fails.
        if (sent != total) throw new IOException("The target accepted only part of the request body.");
        return true;
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }
}
