using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Elbe.DataPlane.Listeners;
using Microsoft.AspNetCore.Connections;

namespace Elbe.EndToEnd.Tests;

/// <summary>
/// The HTTP/2 output coalescer on its own, between in-memory pipes, where the moment of each send can be held: what
/// Kestrel flushes while a send is under way must leave in the next send, all of it, in order. Over real sockets the
/// coalescer carries every HTTP/2 test in this suite (Http2ClientTests, gRPC, Http1ForwardingTests to h2 clients).
/// </summary>
public sealed class Http2OutputCoalescerTests
{
    [Fact]
    public async Task Frames_flushed_while_a_send_is_under_way_leave_together_and_in_order()
    {
        var sent = new Pipe();
        var socket = new HeldFirstFlush(sent.Writer);
        var connection = new DefaultConnectionContext("coalescer-test") { Transport = new DuplexPipe(new Pipe().Reader, socket) };
        var expected = new StringBuilder();

        await Http2OutputCoalescer.ServeAsync(connection, async c =>
        {
            for (var frame = 0; frame < 20; frame++)
            {
                var bytes = Encoding.ASCII.GetBytes($"frame {frame};");
                expected.Append($"frame {frame};");
                c.Transport.Output.Write(bytes);
                await c.Transport.Output.FlushAsync();
                // The pump has taken frame 0 and is inside the first send: frames 1-19 pile up behind it.
                if (frame == 0) await socket.FirstFlushStarted.WaitAsync(TimeSpan.FromSeconds(10));
            }
            socket.ReleaseFirstFlush();
        });

        Assert.Equal(2, socket.Flushes);
        Assert.True(sent.Reader.TryRead(out var result));
        Assert.Equal(expected.ToString(), Encoding.ASCII.GetString(result.Buffer));
    }

    [Fact]
    public async Task A_send_that_finds_the_connection_gone_ends_the_pump_and_tells_the_writer()
    {
        var sent = new Pipe();
        var connection = new DefaultConnectionContext("coalescer-gone") { Transport = new DuplexPipe(new Pipe().Reader, sent.Writer) };
        sent.Reader.Complete();   // the peer is gone: the next flush toward it reports completion
        FlushResult last = default;

        var serve = Http2OutputCoalescer.ServeAsync(connection, async c =>
        {
            for (var attempt = 0; attempt < 200 && !last.IsCompleted; attempt++)
            {
                c.Transport.Output.Write("frame"u8);
                last = await c.Transport.Output.FlushAsync();
                if (!last.IsCompleted) await Task.Delay(10);
            }
        });

        await serve.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(last.IsCompleted, "Kestrel's writer never learned that the connection was gone");
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }

    /// <summary>A writer whose first flush (a send) waits until released; counts flushes.</summary>
    private sealed class HeldFirstFlush(PipeWriter inner) : PipeWriter
    {
        private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int flushes;

        public Task FirstFlushStarted => started.Task;
        public int Flushes => Volatile.Read(ref flushes);
        public void ReleaseFirstFlush() => released.TrySetResult();

        public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref flushes) == 1)
            {
                started.TrySetResult();
                await released.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            }
            return await inner.FlushAsync(cancellationToken);
        }

        public override void Advance(int bytes) => inner.Advance(bytes);
        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);
        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);
        public override void CancelPendingFlush() => inner.CancelPendingFlush();
        public override void Complete(Exception? exception = null) => inner.Complete(exception);
    }
}
