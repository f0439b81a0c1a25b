using System.Net;
using System.Net.Sockets;
using SecureCam.Network.Doctor;
using SecureCam.Network.Listening;
using SecureCam.TestSupport;

namespace SecureCam.Network.Tests;

/// <summary>Opens real listeners and reads them back from the kernel, owner included.</summary>
public sealed class ListeningCheckTests
{
    [Fact]
    public async Task Loopback_listener_is_read_from_the_kernel_and_means_only_this_machine()
    {
        var port = FreePort.Tcp();
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();

        var sockets = await ListeningSocketReader.ReadAsync(CancellationToken.None);

        var socket = Assert.Single(sockets, s => s.Protocol == SocketProtocol.Tcp && s.Port == port);
        Assert.Equal(IPAddress.Loopback, socket.Address);
        Assert.Equal(Environment.ProcessId, socket.ProcessId);
        Assert.False(string.IsNullOrEmpty(socket.ProcessName));

        var findings = ListeningCheck.Check([ListenAddress.Parse($"https://0.0.0.0:{port}", https: true)], sockets);
        var finding = Assert.Single(findings, f => f.Area == "listening" && f.Text.StartsWith($"127.0.0.1:{port}", StringComparison.Ordinal));
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("only this machine", finding.Text, StringComparison.Ordinal);
        Assert.Contains($"pid {Environment.ProcessId}", finding.Text, StringComparison.Ordinal);
        Assert.Contains("0.0.0.0", finding.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Any_address_listener_means_the_whole_lan()
    {
        var port = FreePort.Tcp(IPAddress.Any);
        using var listener = new TcpListener(IPAddress.Any, port);
        listener.Start();

        var sockets = await ListeningSocketReader.ReadAsync(CancellationToken.None);

        var socket = Assert.Single(sockets, s => s.Protocol == SocketProtocol.Tcp && s.Port == port);
        Assert.Equal(IPAddress.Any, socket.Address);
        Assert.Equal(Environment.ProcessId, socket.ProcessId);
        var findings = ListeningCheck.Check([ListenAddress.Parse($"https://0.0.0.0:{port}", https: true)], sockets);
        var ok = Assert.Single(findings, f => f.Text.StartsWith($"0.0.0.0:{port}", StringComparison.Ordinal));
        Assert.Equal(Severity.Ok, ok.Severity);
        Assert.Contains("whole LAN", ok.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ipv6_any_listener_means_the_whole_lan()
    {
        var port = FreePort.Tcp(IPAddress.IPv6Any);
        using var listener = new TcpListener(IPAddress.IPv6Any, port);
        listener.Start();

        var sockets = await ListeningSocketReader.ReadAsync(CancellationToken.None);

        var socket = Assert.Single(sockets, s => s.Protocol == SocketProtocol.Tcp && s.Port == port);
        Assert.Equal(IPAddress.IPv6Any, socket.Address);
        var findings = ListeningCheck.Check([ListenAddress.Parse($"https://[::]:{port}", https: true)], sockets);
        Assert.Contains(findings, f => f.Severity == Severity.Ok && f.Text.StartsWith($"[::]:{port}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Udp_socket_is_listed_with_its_owner()
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;

        var sockets = await ListeningSocketReader.ReadAsync(CancellationToken.None);

        var socket = Assert.Single(sockets, s => s.Protocol == SocketProtocol.Udp && s.Port == port);
        Assert.Equal(Environment.ProcessId, socket.ProcessId);
    }

    [Fact]
    public async Task Nothing_listening_is_said_plainly()
    {
        var port = FreePort.Tcp();
        var sockets = await ListeningSocketReader.ReadAsync(CancellationToken.None);
        Assert.DoesNotContain(sockets, s => s.Protocol == SocketProtocol.Tcp && s.Port == port);

        var finding = Assert.Single(ListeningCheck.Check([ListenAddress.Parse($"https://0.0.0.0:{port}", https: true)], sockets));

        Assert.Equal(Severity.Problem, finding.Severity);
        Assert.Equal($"nothing is listening on TCP port {port} (configured: https://0.0.0.0:{port})", finding.Text);
    }

    [Fact]
    public void Configured_loopback_is_a_warning()
    {
        var findings = ListeningCheck.Check([ListenAddress.Parse("https://127.0.0.1:8443", https: true)], []);

        Assert.Contains(findings, f => f.Severity == Severity.Warning && f.Text.Contains("only this machine", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://0.0.0.0:8443", true, ListenHostKind.Address, "0.0.0.0", 8443)]
    [InlineData("https://*:8443", true, ListenHostKind.AnyAddress, null, 8443)]
    [InlineData("http://+:5000", false, ListenHostKind.AnyAddress, null, 5000)]
    [InlineData("https://[::]:9443", true, ListenHostKind.Address, "::", 9443)]
    [InlineData("https://localhost:8443", true, ListenHostKind.Localhost, null, 8443)]
    [InlineData("https://192.168.1.20", true, ListenHostKind.Address, "192.168.1.20", 443)]
    public void Parses_listen_urls_like_kestrel(string url, bool https, ListenHostKind kind, string? address, int port)
    {
        var endpoint = ListenAddress.Parse(url, https);
        Assert.Equal(kind, endpoint.Kind);
        Assert.Equal(address is null ? null : IPAddress.Parse(address), endpoint.Address);
        Assert.Equal(port, endpoint.Port);
        Assert.Equal(kind == ListenHostKind.Localhost, endpoint.IsLoopback);
    }

    [Theory]
    [InlineData("ftp://0.0.0.0:21", "'ftp://0.0.0.0:21' must start with https://")]
    [InlineData("0.0.0.0:8443", "is not a URL")]
    [InlineData("http://0.0.0.0:8443", "'http://0.0.0.0:8443' must start with https://")]
    [InlineData("https://camera.example:8443", "the host must be an IP address")]
    [InlineData("https://0.0.0.0:8443/x", "must be just https://HOST:PORT")]
    [InlineData(" ", "empty")]
    public void Rejects_what_is_not_a_listen_url(string url, string problem)
    {
        var error = Assert.Throws<FormatException>(() => ListenAddress.Parse(url, https: true));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}
