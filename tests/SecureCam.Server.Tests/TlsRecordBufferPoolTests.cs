using SecureCam.Server.Tests.Support;
using SecureCam.Server.TlsOutput;

namespace SecureCam.Server.Tests;

public sealed class TlsRecordBufferPoolTests
{
    [Fact]
    public void Buffers_are_one_full_record_and_are_reused()
    {
        using var pool = new TlsRecordBufferPool(new ManualTimeProvider());
        var first = pool.Rent(100);
        Assert.Equal(TlsRecordBufferPool.BlockBytes, first.Memory.Length);
        var array = first.Memory;
        first.Dispose();
        first.Dispose(); // a second dispose by the same owner must not queue the buffer twice

        using var again = pool.Rent();
        Assert.True(again.Memory.Span == array.Span, "the returned buffer was not reused");
        using var other = pool.Rent();
        Assert.False(other.Memory.Span == array.Span);
        Assert.Equal(2, pool.AllocatedBlocks);
    }

    [Fact]
    public void More_than_a_record_is_refused()
    {
        using var pool = new TlsRecordBufferPool(new ManualTimeProvider());
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(TlsRecordBufferPool.BlockBytes + 1));
    }

    [Fact]
    public void Trim_lets_go_of_half_the_buffers_idle_since_the_last_trim()
    {
        using var pool = new TlsRecordBufferPool(new ManualTimeProvider());
        var rented = Enumerable.Range(0, 10).Select(_ => pool.Rent()).ToList();
        rented.ForEach(block => block.Dispose());
        Assert.Equal(10, pool.IdleBlocks);

        pool.Trim(); // the low-water mark was 0 (the pool ran dry while they were rented): nothing to let go yet
        Assert.Equal(10, pool.IdleBlocks);

        // 4 rented and returned: 6 stayed idle the whole interval, and half of those go.
        var some = Enumerable.Range(0, 4).Select(_ => pool.Rent()).ToList();
        some.ForEach(block => block.Dispose());
        pool.Trim();
        Assert.Equal(7, pool.IdleBlocks);

        pool.Trim();
        Assert.Equal(4, pool.IdleBlocks);
        Assert.Equal(10, pool.AllocatedBlocks);
    }
}
