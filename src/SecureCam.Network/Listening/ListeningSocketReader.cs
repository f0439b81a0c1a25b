namespace SecureCam.Network.Listening;

/// <summary>Reads what is listening on this machine from the kernel, like `ss -lntup`.</summary>
public static class ListeningSocketReader
{
    public static async Task<IReadOnlyList<ListeningSocket>> ReadAsync(CancellationToken cancellationToken, string procRoot = "/proc")
    {
        var sockets = new List<ListeningSocket>();
        foreach (var (file, protocol) in new[]
                 {
                     ("tcp", SocketProtocol.Tcp), ("tcp6", SocketProtocol.Tcp),
                     ("udp", SocketProtocol.Udp), ("udp6", SocketProtocol.Udp),
                 })
        {
            var path = Path.Combine(procRoot, "net", file);
            if (!File.Exists(path))
            {
                continue; // tcp6/udp6 are absent when IPv6 is disabled
            }

            var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            sockets.AddRange(ProcNetParser.Parse(text, protocol));
        }

        var owners = SocketOwnerResolver.Resolve(sockets.Select(s => s.Inode).Where(i => i != 0).ToHashSet(), procRoot);
        return sockets
            .Select(s => owners.TryGetValue(s.Inode, out var owner) ? s with { ProcessId = owner.Pid, ProcessName = owner.Name } : s)
            .OrderBy(s => s.Protocol).ThenBy(s => s.Port).ThenBy(s => s.AddressText, StringComparer.Ordinal)
            .ToList();
    }
}
