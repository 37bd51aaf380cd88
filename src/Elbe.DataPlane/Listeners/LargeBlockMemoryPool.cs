using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace Elbe.DataPlane.Listeners;

/// <summary>
/// A listener's transport receives into whatever block its pipe hands it, and Kestrel's own pool's blocks are 4 KiB:
/// a 1 MiB request body then costs about 256 receive calls and as many pipe reads. Blocks of
/// <see cref="BlockSize"/> let one receive take 32 KiB. Idle connections hold no block (both transports take one
/// only when the socket has bytes for it), so only connections moving bytes pay for the larger blocks.
/// </summary>
public sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    public const int BlockSize = 32 * 1024;

    /// <summary>
    /// Blocks kept in the shared queue beyond this (16 MiB; each thread keeps one more of its own) are left to the GC,
    /// so a burst does not keep memory pinned for good.
    /// </summary>
    private const int MaxRetained = 512;

    /// <summary>
    /// One pool for the process: Kestrel asks for one per I/O queue of every listener, and pools of their own
    /// would each keep up to <see cref="MaxRetained"/> blocks.
    /// </summary>
    private static readonly LargeBlockMemoryPool Instance = new();

    /// <summary>
    /// One block kept per thread, outside the shared queue: a response is usually written into a block and sent from
    /// it on the same thread, and the block then serves the next response there without touching the queue's and
    /// the count's shared cache lines (measured: the queue was about 1% of a new connection's CPU).
    /// </summary>
    [ThreadStatic]
    private static Block? t_spare;

    private readonly ConcurrentQueue<Block> _free = new();
    private int _retained;

    private LargeBlockMemoryPool()
    {
    }

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        if (t_spare is { } spare)
        {
            t_spare = null;
            return spare;
        }
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _retained);
            return block;
        }
        return new Block(this);
    }

    private void Return(Block block)
    {
        if (t_spare is null)
        {
            t_spare = block;
            return;
        }
        if (Interlocked.Increment(ref _retained) <= MaxRetained)
        {
            _free.Enqueue(block);
            return;
        }
        Interlocked.Decrement(ref _retained);
    }

    /// <summary>Kestrel disposes its pools with the listener; the shared one outlives listeners.</summary>
    protected override void Dispose(bool disposing)
    {
    }

    /// <summary>Pinned, so the socket layer does not pin it again for every receive and send.</summary>
    private sealed class Block(LargeBlockMemoryPool pool) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);

        public Memory<byte> Memory => _array;

        public void Dispose() => pool.Return(this);
    }

    /// <summary>What Kestrel's socket transport asks for one pool per I/O queue.</summary>
    public sealed class Factory : IMemoryPoolFactory<byte>
    {
        public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => Instance;
    }
}
