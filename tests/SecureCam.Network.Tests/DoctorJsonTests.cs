using System.Net;
using System.Text;
using SecureCam.Network.Addresses;
using SecureCam.Network.Certificates;
using SecureCam.Network.Clock;
using SecureCam.Network.Doctor;
using SecureCam.Network.Listening;
using SecureCam.Network.Nat;

namespace SecureCam.Network.Tests;

/// <summary>The `doctor --json` contract, byte for byte: field names, their order, enum words, nulls and escaping.</summary>
public sealed class DoctorJsonTests
{
    [Fact]
    public void Every_field_is_written_in_the_documented_order_with_the_contract_words()
    {
        var report = Report(new ClockReport(-0.125, "sntp 127.0.0.1:123 (stratum 2)"), "203.0.113.7", "203.0.113.7");

        Assert.Equal(Golden("doctor-public.json"), Write(report));
    }

    [Fact]
    public void Unknown_values_are_written_as_null_not_left_out()
    {
        var report = Report(new ClockReport(null, "not checked (--ntp off)"), null, null);

        Assert.Equal(Golden("doctor-unknown.json"), Write(report));
    }

    [Fact]
    public void Every_enum_member_has_its_word_and_an_undefined_value_has_none()
    {
        Assert.All(Enum.GetValues<NatVerdict>(), v => Assert.Matches("^[a-z-]+$", v.ToName()));
        Assert.All(Enum.GetValues<PortForwarding>(), v => Assert.Matches("^[a-z-]+$", v.ToName()));
        Assert.All(Enum.GetValues<RecommendationKind>(), k => Assert.Matches("^[a-z0-9-]+$", new Recommendation(k, "").Id));
        Assert.All(Enum.GetValues<Severity>(), s => Assert.Matches("^[a-z]+$", new Finding(s, "a", "t").SeverityName));
        Assert.Equal("static-ipv4", new Recommendation(RecommendationKind.StaticPublicIpv4, "").Id);
        Assert.Throws<ArgumentOutOfRangeException>(() => ((NatVerdict)42).ToName());
    }

    /// <summary>The output of the hand-written writer this one replaced, kept as the contract.</summary>
    private static string Golden(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", name));

    private static string Write(DoctorReport report)
    {
        using var output = new MemoryStream();
        DoctorJsonWriter.Write(report, output);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static DoctorReport Report(ClockReport clock, string? wan, string? seen)
    {
        var addresses = new[]
        {
            new InterfaceAddress("lo", IPAddress.Loopback, true),
            new InterfaceAddress("eth0", IPAddress.Parse("192.168.1.20"), true),
            new InterfaceAddress("eth0", IPAddress.Parse("2001:db8::20"), true),
            new InterfaceAddress("eth0", IPAddress.Parse("2a02:8070::20"), true),
            new InterfaceAddress("wlan0", IPAddress.Parse("100.70.1.2"), false),
        };
        var listening = new[]
        {
            new ListeningSocket(SocketProtocol.Tcp, IPAddress.Any, 8443, 1) { ProcessId = 4242, ProcessName = "securecam" },
            new ListeningSocket(SocketProtocol.Udp, IPAddress.IPv6Any, 5684, 2),
        };
        var wanIp = wan is null ? null : IPAddress.Parse(wan);
        var publicIp = seen is null ? null : IPAddress.Parse(seen);
        var exposure = ExposureAssessor.Assess(wanIp, publicIp, addresses, 8443);
        var certificate = new CertificateReport(
            "server",
            "pki/issued/server/cert.pem",
            "CN=cam \"front\" <door> & café",
            new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            new DateTime(2026, 7, 1, 0, 0, 0, DateTimeKind.Utc),
            ["cam", "cam.local"],
            [IPAddress.Parse("192.168.1.20")],
            true,
            true,
            false,
            [IPAddress.Parse("192.168.1.21")]);
        var findings = new List<Finding>
        {
            Finding.Ok("nat", "NAT verdict → fine"),
            Finding.Warning("listening", "only 127.0.0.1 can connect", "Listen on https://0.0.0.0:8443."),
            Finding.Problem("clock", "clock is 3600 s behind 127.0.0.1:123"),
        };
        var recommendations = exposure.Recommendations.Append(Recommendations.IpReservation("192.168.1.20")).ToList();
        return new DoctorReport(
            new DateTime(2026, 12, 4, 13, 5, 6, 789, DateTimeKind.Utc),
            "cam",
            addresses,
            [ListenAddress.Parse("https://0.0.0.0:8443", https: true), ListenAddress.Parse("https://[::]:8443", https: true)],
            listening,
            exposure,
            wanIp,
            publicIp,
            clock,
            [certificate],
            findings,
            recommendations);
    }
}
