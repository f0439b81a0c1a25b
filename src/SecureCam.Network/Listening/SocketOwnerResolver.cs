using System.Globalization;

namespace SecureCam.Network.Listening;

/// <summary>
/// Finds which process holds a socket, the way `ss -p` does: every /proc/PID/fd/N that is a socket is a
/// symlink to "socket:[INODE]". Other users' processes are invisible without root; they stay unnamed.
/// </summary>
public static class SocketOwnerResolver
{
    public static IReadOnlyDictionary<long, (int Pid, string Name)> Resolve(IReadOnlySet<long> inodes, string procRoot = "/proc")
    {
        var owners = new Dictionary<long, (int, string)>();
        if (inodes.Count == 0 || !Directory.Exists(procRoot))
        {
            return owners;
        }

        foreach (var processDir in Directory.EnumerateDirectories(procRoot))
        {
            if (!int.TryParse(Path.GetFileName(processDir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            foreach (var inode in SocketInodesOf(processDir))
            {
                if (inodes.Contains(inode) && !owners.ContainsKey(inode))
                {
                    owners[inode] = (pid, ReadName(processDir));
                }
            }

            if (owners.Count == inodes.Count)
            {
                break;
            }
        }

        return owners;
    }

    private static IEnumerable<long> SocketInodesOf(string processDir)
    {
        string[] fds;
        try
        {
            fds = Directory.GetFiles(Path.Combine(processDir, "fd"));
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            yield break; // another user's process, or one that just exited
        }

        foreach (var fd in fds)
        {
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                continue;
            }

            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && target.EndsWith(']')
                && long.TryParse(target.AsSpan(8, target.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out var inode))
            {
                yield return inode;
            }
        }
    }

    private static string ReadName(string processDir)
    {
        try
        {
            return File.ReadAllText(Path.Combine(processDir, "comm")).Trim();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return "?";
        }
    }
}
