using SecureCam.TestSupport;

namespace SecureCam.Network.Tests;

/// <summary>
/// Network namespaces joined by veth pairs, to put the doctor in a network that looks like a home behind
/// CGNAT or double NAT. Only the namespaces are changed, never the host's own network; every namespace
/// (and with it its veth ends) is deleted on dispose.
/// </summary>
internal sealed class NetworkNamespaceLab : IAsyncDisposable
{
    private readonly string _ip;
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..6];
    private readonly List<string> _namespaces = [];

    private NetworkNamespaceLab(string ip) => _ip = ip;

    /// <summary>
    /// Needs `ip` and the right to create namespaces (root or CAP_SYS_ADMIN). When the kernel refuses,
    /// the test skips on a developer machine and fails under CI=true, where the capability is expected.
    /// </summary>
    public static async Task<NetworkNamespaceLab> CreateAsync()
    {
        var lab = new NetworkNamespaceLab(Peer.Require("ip", "iproute2"));
        var probe = lab.Name("probe");
        var result = await ExternalProcess.RunAsync(lab._ip, ["netns", "add", probe], timeout: TimeSpan.FromSeconds(30));
        if (result.ExitCode != 0)
        {
            var denied = result.StandardError.Contains("Permission denied", StringComparison.OrdinalIgnoreCase)
                         || result.StandardError.Contains("Operation not permitted", StringComparison.OrdinalIgnoreCase);
            Peer.RequireThat(!denied, "this machine does not allow creating network namespaces: " + result.StandardError.Trim());
            throw new InvalidOperationException("ip netns add failed: " + result);
        }

        lab._namespaces.Add(probe);
        return lab;
    }

    /// <summary>A namespace name unique to this lab (parallel runs do not collide).</summary>
    public string Name(string role) => $"sc-{role}-{_suffix}";

    public async Task<string> AddNamespaceAsync(string role)
    {
        var name = Name(role);
        await IpAsync("netns", "add", name);
        _namespaces.Add(name);
        await IpAsync("-n", name, "link", "set", "lo", "up");
        return name;
    }

    /// <summary>A veth pair: <paramref name="leftName"/> in <paramref name="left"/>, its peer in <paramref name="right"/>.</summary>
    public async Task LinkAsync(string left, string leftName, string right, string rightName)
    {
        await IpAsync("-n", left, "link", "add", leftName, "type", "veth", "peer", "name", rightName, "netns", right);
        await IpAsync("-n", left, "link", "set", leftName, "up");
        await IpAsync("-n", right, "link", "set", rightName, "up");
    }

    public Task IpAsync(params string[] arguments) => RunCheckedAsync(_ip, arguments);

    /// <summary>Runs a program inside a namespace (`ip netns exec NS …`).</summary>
    public Task<ProcessResult> ExecAsync(string ns, string workingDirectory, params string[] command) =>
        ExternalProcess.RunAsync(_ip, ["netns", "exec", ns, .. command], workingDirectory, timeout: TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync()
    {
        foreach (var ns in Enumerable.Reverse(_namespaces))
        {
            // Deleting a namespace destroys its interfaces, and a veth pair goes with either end.
            await ExternalProcess.RunAsync(_ip, ["netns", "del", ns], timeout: TimeSpan.FromSeconds(30));
        }
    }

    private static async Task RunCheckedAsync(string program, string[] arguments)
    {
        var result = await ExternalProcess.RunAsync(program, arguments, timeout: TimeSpan.FromSeconds(30));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {result}");
        }
    }
}
