using System.Diagnostics;
using SecureCam.Bench.Sampling;

namespace SecureCam.Bench.Tests;

public class ProcSamplerTests
{
    [Fact]
    public void A_stat_line_is_read_from_the_last_parenthesis()
    {
        // A command name may hold spaces and parentheses; the fields after it are what counts.
        const string line = "4242 (nginx: worker (x) ) S 4241 4241 4241 0 -1 4194560 2110 0 0 0 123 45 0 0 20 0 1 0 950 11759616 1500 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0";
        Assert.True(ProcStat.TryParse(line, out var stat));
        Assert.Equal(new ProcStat(4242, 4241, 123, 45, 1500), stat);
        Assert.Equal(1.68, stat.CpuSeconds, 9);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("12 (short) S 1 2 3")]
    public void A_malformed_stat_line_is_rejected(string line)
    {
        Assert.False(ProcStat.TryParse(line, out _));
    }

    [Fact]
    public void A_tree_is_the_root_and_all_its_descendants()
    {
        var all = new[]
        {
            new ProcStat(1, 0, 0, 0, 1),
            new ProcStat(10, 1, 1, 1, 10),   // nginx master
            new ProcStat(11, 10, 5, 5, 20),  // worker
            new ProcStat(12, 10, 7, 3, 20),  // worker
            new ProcStat(13, 12, 1, 0, 5),   // grandchild
            new ProcStat(20, 1, 100, 100, 999), // unrelated
        };
        Assert.Equal([10, 11, 12, 13], ProcessTree.Select(all, 10).Select(s => s.Pid).Order());
        Assert.Empty(ProcessTree.Select(all, 99));
    }

    [Fact]
    public async Task This_process_is_sampled_from_the_real_proc()
    {
        var stat = ProcStat.Read(Environment.ProcessId);
        Assert.NotNull(stat);
        Assert.True(stat.Value.ResidentPages > 0);

        await using var sampler = new ProcessSampler(Environment.ProcessId, TimeSpan.FromMilliseconds(20));
        var first = sampler.SampleNow()!.Value;

        // Burn a little CPU so the second reading must be higher (ticks are 10 ms).
        var watch = Stopwatch.StartNew();
        var x = 0.0;
        while (watch.ElapsedMilliseconds < 300)
        {
            x += Math.Sqrt(watch.ElapsedTicks);
        }

        var second = sampler.SampleNow()!.Value;
        Assert.True(x > 0);
        Assert.True(second.CpuSeconds > first.CpuSeconds, $"{second.CpuSeconds} > {first.CpuSeconds}");
        Assert.True(second.ResidentBytes > 10 * 1024 * 1024);
        Assert.Equal(2, sampler.Between(first.At, second.At).Count);
    }

    [Fact]
    public void A_process_that_is_gone_reads_as_null()
    {
        Assert.Null(ProcStat.Read(int.MaxValue));
        Assert.Empty(ProcessTree.Read(int.MaxValue));
    }
}
