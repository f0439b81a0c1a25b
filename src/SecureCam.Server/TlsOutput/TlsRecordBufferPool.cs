using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SecureCam.Server.TlsOutput;

/// <summary>
/// Buffers of exactly one full TLS record's payload (16 KB), for <see cref="TlsRecordSizedOutput"/>.
/// A buffer returned is kept for the next writer, so a steady stream allocates nothing; once every
/// <see cref="TrimInterval"/>, half of the buffers that stayed idle through the whole interval are let
/// go, so the memory of a past crowd of viewers goes back to the GC instead of staying for good.
/// (64 KB arrays from the shared ArrayPool were tried first: with 200 viewers its per-core slots
/// overflowed, the overflow became garbage, and the server's RSS rose by 84 MB; ordinary arrays from
/// this pool still cost 15 MB more than pinned ones.)
/// </summary>
internal sealed class TlsRecordBufferPool : MemoryPool<byte>
{
    /// <summary>The largest plaintext one TLS record carries (RFC 8446 §5.1, RFC 5246 §6.2.1).</summary>
    public const int BlockBytes = 16 * 1024;

    /// <summary>An upper bound on what is kept however busy the server was: 4096 × 16 KB = 64 MB.</summary>
    private const int MaxIdleBlocks = 4096;

    private static readonly TimeSpan TrimInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<Block> _idle = new();
    private readonly ITimer _trimTimer;
    private int _idleCount;
    private int _lowWater;
    private long _allocated;

    public TlsRecordBufferPool(TimeProvider? time = null)
    {
        // The shared pool is first made inside some connection: without SuppressFlow its timer would
        // keep that connection's async-local state (its log scopes, which carry its ClientConnectionFeature) forever.
        using (ExecutionContext.SuppressFlow())
        {
            _trimTimer = (time ?? TimeProvider.System).CreateTimer(_ => Trim(), null, TrimInterval, TrimInterval);
        }
    }

    public static TlsRecordBufferPool Instance { get; } = new();

    public override int MaxBufferSize => BlockBytes;

    /// <summary>Buffers waiting to be rented (for tests).</summary>
    public int IdleBlocks => Volatile.Read(ref _idleCount);

    /// <summary>Buffers ever allocated by this pool (for tests: a steady load stops allocating).</summary>
    public long AllocatedBlocks => Interlocked.Read(ref _allocated);

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        if (minBufferSize > BlockBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(minBufferSize), minBufferSize, "at most " + BlockBytes + " bytes");
        }

        if (_idle.TryDequeue(out var block))
        {
            var idle = Interlocked.Decrement(ref _idleCount);
            InterlockedMin(ref _lowWater, idle);
            block.Rented();
            return block;
        }

        Interlocked.Increment(ref _allocated);
        Volatile.Write(ref _lowWater, 0);
        return new Block(this);
    }

    /// <summary>Lets go of half the buffers nobody needed since the last trim (those below the low-water mark).</summary>
    public void Trim()
    {
        var surplus = Interlocked.Exchange(ref _lowWater, Volatile.Read(ref _idleCount)) / 2;
        for (var i = 0; i < surplus && _idle.TryDequeue(out _); i++)
        {
            Interlocked.Decrement(ref _idleCount);
        }

        // A minimum, not a plain write: a Rent that ran the pool dry meanwhile has set it to 0.
        InterlockedMin(ref _lowWater, Volatile.Read(ref _idleCount));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _trimTimer.Dispose();
        }
    }

    private void Return(Block block)
    {
        if (Volatile.Read(ref _idleCount) >= MaxIdleBlocks)
        {
            return;
        }

        Interlocked.Increment(ref _idleCount);
        _idle.Enqueue(block);
    }

    private static void InterlockedMin(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value < current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>
    /// One buffer on the pinned object heap, handed out as its own MemoryManager: SslStream pins the
    /// memory it encrypts, and pinning a pinned array needs no GCHandle (Kestrel's pool does the same).
    /// Disposing it gives it back to its pool; a second dispose by the same owner is ignored (a
    /// dispose after the block was rented again cannot be told apart; PipeWriter disposes once).
    /// </summary>
    private sealed unsafe class Block(TlsRecordBufferPool pool) : MemoryManager<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockBytes, pinned: true);
        private int _returned;

        public void Rented() => Volatile.Write(ref _returned, 0);

        public override Span<byte> GetSpan() => _array;

        public override MemoryHandle Pin(int elementIndex = 0) =>
            new(Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_array), elementIndex)), pinnable: this);

        public override void Unpin()
        {
        }

        protected override bool TryGetArray(out ArraySegment<byte> segment)
        {
            segment = _array;
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            if (Interlocked.Exchange(ref _returned, 1) == 0)
            {
                pool.Return(this);
            }
        }
    }
}
