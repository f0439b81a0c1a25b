using System.Globalization;

namespace SecureCam.Bench.Sampling;

/// <summary>
/// The fields of /proc/PID/stat the bench reads (proc(5)): parent, CPU time in user and kernel mode,
/// and resident pages. The command name in parentheses may itself hold spaces and parentheses, so
/// fields are counted from the last ')'.
/// </summary>
internal readonly record struct ProcStat(int Pid, int ParentPid, long UserTicks, long SystemTicks, long ResidentPages)
{
    /// <summary>
    /// Clock ticks per second of the times in /proc: USER_HZ, which the Linux ABI fixes at 100 on every
    /// architecture SecureCam runs on (x86_64, aarch64), independent of the kernel's internal HZ.
    /// </summary>
    public const double TicksPerSecond = 100.0;

    public double CpuSeconds => (UserTicks + SystemTicks) / TicksPerSecond;

    public static bool TryParse(string statLine, out ProcStat stat)
    {
        stat = default;
        var open = statLine.IndexOf('(', StringComparison.Ordinal);
        var close = statLine.LastIndexOf(')');
        if (open <= 0 || close < open || !int.TryParse(statLine.AsSpan(0, open).Trim(), CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        // After ") ": field 3 is state, 4 ppid, 14 utime, 15 stime, 24 rss.
        var rest = statLine[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        const int first = 3;
        if (rest.Length < 24 - first + 1)
        {
            return false;
        }

        if (!int.TryParse(rest[4 - first], CultureInfo.InvariantCulture, out var ppid)
            || !long.TryParse(rest[14 - first], CultureInfo.InvariantCulture, out var utime)
            || !long.TryParse(rest[15 - first], CultureInfo.InvariantCulture, out var stime)
            || !long.TryParse(rest[24 - first], CultureInfo.InvariantCulture, out var rss))
        {
            return false;
        }

        stat = new ProcStat(pid, ppid, utime, stime, rss);
        return true;
    }

    /// <summary>Reads /proc/PID/stat; null when the process is gone.</summary>
    public static ProcStat? Read(int pid, string procRoot = "/proc")
    {
        try
        {
            var line = File.ReadAllText(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "stat"));
            return TryParse(line, out var stat) ? stat : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
