using System.Globalization;

namespace SecureCam.Bench.Sampling;

/// <summary>
/// A process and all its descendants, read from /proc: nginx serves from worker processes under
/// its master, so "the server" is the whole tree below the PID given.
/// </summary>
internal static class ProcessTree
{
    /// <summary>The stat of <paramref name="rootPid"/> and of every live descendant; empty when the root is gone.</summary>
    public static IReadOnlyList<ProcStat> Read(int rootPid, string procRoot = "/proc")
    {
        var all = new List<ProcStat>();
        foreach (var dir in Directory.EnumerateDirectories(procRoot))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && ProcStat.Read(pid, procRoot) is { } stat)
            {
                all.Add(stat);
            }
        }

        return Select(all, rootPid);
    }

    /// <summary>From a snapshot of all processes, the root and its descendants.</summary>
    public static IReadOnlyList<ProcStat> Select(IReadOnlyList<ProcStat> all, int rootPid)
    {
        var byParent = all.ToLookup(s => s.ParentPid);
        var result = new List<ProcStat>();
        var root = all.FirstOrDefault(s => s.Pid == rootPid);
        if (root.Pid != rootPid)
        {
            return result;
        }

        var pending = new Queue<ProcStat>();
        pending.Enqueue(root);
        while (pending.Count > 0)
        {
            var current = pending.Dequeue();
            result.Add(current);
            foreach (var child in byParent[current.Pid])
            {
                if (child.Pid != current.Pid)
                {
                    pending.Enqueue(child);
                }
            }
        }

        return result;
    }
}
