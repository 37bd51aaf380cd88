using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace Elbe.DataPlane.Listeners;

/// <summary>
/// Gathers an HTTP/2 connection's output between Kestrel's HTTP/2 server and TLS, so that the frames of many
/// streams leave in one TLS record and one send. Kestrel flushes after every stream's frames, and with the
/// listeners' inline scheduling each flush went straight to SslStream and the socket: about one record and one
/// system call per response, where an event-loop proxy writes once per burst. Here a flush only hands the bytes to
/// a pump that runs from the thread pool; whatever the other streams write before it runs goes out with them.
/// Measured with h2load (5 streams per connection) client-side sends per response fell from 0.93 to about 0.3.
/// </summary>
public sealed class Http2OutputCoalescer : IDuplexPipe
{
    // As much as Kestrel's own transport buffers before a flush waits (its default MaxResponseBufferSize).
    private const long PauseWriterThreshold = 64 * 1024;

    private readonly IDuplexPipe _inner;
    private readonly Pipe _pending;
    private readonly Task _pump;

    private Http2OutputCoalescer(IDuplexPipe inner, MemoryPool<byte> pool)
    {
        _inner = inner;
        _pending = new Pipe(new PipeOptions(pool,
            readerScheduler: PipeScheduler.ThreadPool,
            writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: PauseWriterThreshold,
            resumeWriterThreshold: PauseWriterThreshold / 2,
            useSynchronizationContext: false));
        _pump = PumpAsync();
    }

    public PipeReader Input => _inner.Input;
    public PipeWriter Output => _pending.Writer;

    /// <summary>Runs the rest of the connection with its output coalesced; returns once the last byte is handed on.</summary>
    public static async Task ServeAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var original = connection.Transport;
        var coalescer = new Http2OutputCoalescer(original, connection.Features.Get<IMemoryPoolFeature>()?.MemoryPool ?? MemoryPool<byte>.Shared);
        connection.Transport = coalescer;
        try
        {
            await next(connection);
        }
        finally
        {
            // Whatever Kestrel left unflushed still goes; then TLS may close the stream under the pump.
            await coalescer._pending.Writer.CompleteAsync();
            await coalescer._pump;
            connection.Transport = original;
        }
    }

    private async Task PumpAsync()
    {
        var reader = _pending.Reader;
        Exception? failure = null;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                    _inner.Output.Write(segment.Span);
                reader.AdvanceTo(buffer.End);
                if (!buffer.IsEmpty && (await _inner.Output.FlushAsync()).IsCompleted) break;
                if (result.IsCompleted) break;
            }
        }
        catch (Exception e)
        {
            // The connection is gone (reset, aborted): Kestrel's next flush sees the reader completed.
            failure = e;
        }
        await reader.CompleteAsync(failure);
    }
}
