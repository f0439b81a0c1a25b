using System.Net;
using System.Net.Sockets;

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
