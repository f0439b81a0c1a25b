using System.Net;
using System.Net.Sockets;
using System.Text.Json.Serialization;

namespace SecureCam.Network.Listening;

/// <summary>
/// A socket waiting for connections (TCP in LISTEN) or datagrams (an unconnected bound UDP socket),
/// as the kernel reports it, with the owning process when /proc lets us see it.
/// </summary>
public sealed record ListeningSocket(SocketProtocol Protocol, IPAddress Address, int Port, long Inode)
{
    public int? ProcessId { get; init; }

    public string? ProcessName { get; init; }

    /// <summary>"name (pid N)", or null when the owner is not visible (another user's process without root).</summary>
    public string? Process => ProcessId is null ? null : $"{ProcessName ?? "?"} (pid {ProcessId})";

    /// <summary>The address as `ss` prints it: 127.0.0.1, [::1], 0.0.0.0, [::].</summary>
    public string AddressText => Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address.ToString();
}

/// <summary>The transport of a <see cref="ListeningSocket"/>, written "tcp" or "udp" in the JSON report.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SocketProtocol>))]
public enum SocketProtocol
{
    [JsonStringEnumMemberName("tcp")]
    Tcp,

    [JsonStringEnumMemberName("udp")]
    Udp,
}

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
