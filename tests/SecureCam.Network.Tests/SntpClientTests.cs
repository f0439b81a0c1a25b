using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using SecureCam.Network.Clock;
using SecureCam.Network.Doctor;
using SecureCam.TestSupport;

namespace SecureCam.Network.Tests;

public sealed class SntpClientTests
{
    [Fact]
    public async Task Measures_a_known_offset_from_a_fake_server()
    {
        await using var server = new FakeNtpServer(TimeSpan.FromSeconds(3600));

        var result = await SntpClient.QueryAsync(server.Address, TimeSpan.FromSeconds(10));

        Assert.NotNull(result);
        // Generous: the loopback round trip on a loaded two-core machine can take a while.
        Assert.InRange(result.Offset.TotalSeconds, 3600 - 1, 3600 + 1);
        Assert.Equal(2, result.Stratum);
        var (report, finding) = ClockCheck.Evaluate(server.Address, result);
        Assert.Equal(Severity.Problem, finding.Severity);
        Assert.InRange(report.OffsetSeconds!.Value, 3599, 3601);
        Assert.Contains("behind", finding.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Negative_offset_means_the_local_clock_is_ahead()
    {
        await using var server = new FakeNtpServer(TimeSpan.FromSeconds(-90));

        var result = await SntpClient.QueryAsync(server.Address, TimeSpan.FromSeconds(10));

        Assert.NotNull(result);
        Assert.InRange(result.Offset.TotalSeconds, -91, -89);
        var (_, finding) = ClockCheck.Evaluate(server.Address, result);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("ahead of", finding.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silent_port_answers_unknown_within_the_timeout()
    {
        // A bound socket that never replies: the request is swallowed, no ICMP error comes back.
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var address = new NtpServerAddress("127.0.0.1", ((IPEndPoint)silent.Client.LocalEndPoint!).Port);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);

        var query = SntpClient.QueryAsync(address, null, clock); // the default 2 s timeout
        await Eventually.TrueAsync(() => silent.Available > 0, TimeSpan.FromSeconds(10), () => "the request never arrived");
        clock.Advance(SntpClient.DefaultTimeout - TimeSpan.FromMilliseconds(1));
        Assert.False(query.IsCompleted, "gave up before the timeout");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var result = await query.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Null(result);
        var (report, finding) = ClockCheck.Evaluate(address, result);
        Assert.Null(report.OffsetSeconds);
        Assert.StartsWith("unknown", report.Source, StringComparison.Ordinal);
        Assert.Equal(Severity.Warning, finding.Severity);
    }

    [Fact]
    public async Task Kiss_of_death_and_unmatched_answers_are_ignored()
    {
        await using var kiss = new FakeNtpServer(TimeSpan.Zero, stratum: 0);
        await using var forged = new FakeNtpServer(TimeSpan.Zero, echoOriginate: false);

        Assert.Null(await SntpClient.QueryAsync(kiss.Address, TimeSpan.FromMilliseconds(800)));
        Assert.Null(await SntpClient.QueryAsync(forged.Address, TimeSpan.FromMilliseconds(800)));
        Assert.Equal(1, kiss.Requests);
        Assert.Equal(1, forged.Requests);
    }

    [Fact]
    public async Task Unresolvable_name_is_unknown_not_an_error()
    {
        var result = await SntpClient.QueryAsync(new NtpServerAddress("no-such-host.invalid", 123), TimeSpan.FromSeconds(2));
        Assert.Null(result);
    }

    [Theory]
    [InlineData("pool.ntp.org", "pool.ntp.org", 123)]
    [InlineData("127.0.0.1:12345", "127.0.0.1", 12345)]
    [InlineData("[::1]:1234", "::1", 1234)]
    [InlineData("[::1]", "::1", 123)]
    [InlineData("fd00::1", "fd00::1", 123)]
    public void Parses_server_addresses(string text, string host, int port)
    {
        Assert.Equal(new NtpServerAddress(host, port), NtpServerAddress.Parse(text));
    }

    [Theory]
    [InlineData("host:0")]
    [InlineData("host:70000")]
    [InlineData("[::1")]
    public void Rejects_bad_server_addresses(string text)
    {
        Assert.Throws<FormatException>(() => NtpServerAddress.Parse(text));
    }

    [Theory]
    [InlineData("2026-11-21T08:00:00.250Z")]
    [InlineData("1999-12-31T23:59:59.5Z")]
    [InlineData("2036-02-07T06:28:15Z")]
    [InlineData("2036-02-07T06:28:17Z")] // after the NTP era wrap (RFC 4330 section 3)
    [InlineData("2100-01-01T00:00:00Z")]
    public void Ntp_timestamps_round_trip_across_the_era_wrap(string time)
    {
        var utc = DateTime.Parse(time, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
        var bytes = new byte[8];
        NtpTimestamp.Write(bytes, utc);
        Assert.InRange((NtpTimestamp.Read(bytes) - utc).Duration().TotalMilliseconds, 0, 1);
    }

    [Fact]
    public async Task Closed_port_is_unknown_not_an_error()
    {
        // Nothing bound: loopback answers with ICMP port unreachable, a SocketException inside the client.
        var port = SecureCam.TestSupport.FreePort.Udp();
        Assert.Null(await SntpClient.QueryAsync(new NtpServerAddress("127.0.0.1", port), TimeSpan.FromSeconds(2)));
    }
}
