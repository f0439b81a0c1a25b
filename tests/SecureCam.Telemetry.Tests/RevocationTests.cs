using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using SecureCam.Pki;
using SecureCam.TestSupport;

namespace SecureCam.Telemetry.Tests;

/// <summary>
/// Live revocation in verified mode, both ways, with a real PKI home made by SecureCam.Pki (the code behind
/// `securecam-pki`): `revoke` rewrites crl.pem, and within seconds new handshakes are refused and open sessions end.
/// The CRL re-checks and the reporter's backoff run on a fake clock, moved past each wait instead of waiting it out.
/// </summary>
public sealed class RevocationTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _temp = new("securecam-telemetry-crl");
    private readonly PkiStore _store;
    private readonly CertificateAuthority _ca;
    private readonly ConcurrentQueue<string> _crlLog = new();
    private readonly ObservedFakeClock _clock = new(DateTimeOffset.UtcNow);

    public RevocationTests()
    {
        _store = PkiStore.Open(_temp.Combine("pki"));
        _ca = CertificateAuthority.Init(_store, new CaOptions(), null);
        _ca.IssueServer("collector", ["localhost"], [IPAddress.Loopback]);
        _ca.IssueDevice("cam-1");
        _ca.IssueDevice("cam-2");
    }

    [Fact]
    public async Task A_revoked_camera_is_refused_at_the_handshake_and_its_open_session_ends()
    {
        await using var collector = StartCollector();
        using var cam1 = await ConnectAsync(collector.Port, "cam-1");
        using var cam2 = await ConnectAsync(collector.Port, "cam-2");
        Assert.True(Exchange.SendAndAwaitAck(cam1, 1, Generous));
        Assert.True(Exchange.SendAndAwaitAck(cam2, 1, Generous));

        _ca.Revoke("cam-1");
        _clock.Advance(RevocationFile.DefaultCheckInterval);

        // The collector ends cam-1's session with close_notify; cam-1 sees it on its next receive.
        var buffer = new byte[DtlsPolicy.ReceiveLimit];
        await Eventually.TrueAsync(() => Ended(cam1, buffer), Generous, () => collector.LogText);
        await collector.WaitForLogAsync("device certificate revoked: serial", Generous);

        // cam-2 is untouched, and cam-1 cannot come back.
        Assert.True(Exchange.SendAndAwaitAck(cam2, 2, Generous));
        var refused = await Assert.ThrowsAsync<DtlsRefusedException>(() => ConnectAsync(collector.Port, "cam-1"));
        Assert.Equal("certificate_revoked", refused.Alert);
        Assert.False(refused.SentByUs);
        await collector.WaitForLogAsync("device certificate of 'cam-1' refused: serial", Generous);
        Assert.Equal(1, collector.Collector.Counters.ActiveSessions);
    }

    [Fact]
    public async Task The_camera_refuses_a_revoked_collector_and_leaves_an_open_connection_to_it()
    {
        await using var collector = StartCollector();
        var settings = CameraSettings("cam-1");
        using var connection = await DtlsClientConnection.ConnectAsync("127.0.0.1", collector.Port, settings, CancellationToken.None);
        Assert.True(Exchange.SendAndAwaitAck(connection, 1, Generous));
        connection.ThrowIfCollectorRevoked();

        _ca.Revoke("collector");
        _clock.Advance(RevocationFile.DefaultCheckInterval);

        await Eventually.TrueAsync(() => Throws(connection.ThrowIfCollectorRevoked), Generous);
        var open = Assert.Throws<DtlsRefusedException>(connection.ThrowIfCollectorRevoked);
        Assert.Equal("certificate_revoked", open.Alert);
        Assert.Contains("the collector's certificate was revoked", open.Message, StringComparison.Ordinal);

        var refused = await Assert.ThrowsAsync<DtlsRefusedException>(
            () => DtlsClientConnection.ConnectAsync("127.0.0.1", collector.Port, settings, CancellationToken.None));
        Assert.Equal("certificate_revoked", refused.Alert);
        Assert.True(refused.SentByUs);
        Assert.Contains("the collector's certificate is revoked", refused.Reason, StringComparison.Ordinal);
        await collector.WaitForLogAsync("the camera refused us with alert certificate_revoked", Generous);
    }

    [Fact]
    public async Task The_reporter_drops_a_collector_revoked_while_connected_and_says_why()
    {
        await using var collector = StartCollector();
        var options = new TelemetryOptions
        {
            Enabled = true,
            Collector = $"127.0.0.1:{collector.Port}",
            Mode = TelemetryModeNames.Verified,
            ExpectedName = "localhost",
            CaFile = _store.CaCertificatePath,
            CrlFile = _store.CrlPath,
            DeviceCertFile = _store.ChainPath("cam-1"),
            DeviceKeyFile = _store.KeyPath("cam-1"),
            Interval = TimeSpan.FromMilliseconds(100),
            MaxBackoff = TimeSpan.FromSeconds(1),
        };
        var log = new ConcurrentQueue<string>();
        var reporter = new TelemetryReporter(options, () => new TelemetrySnapshot(), (_, message) => log.Enqueue(message), _clock);
        using var stop = new CancellationTokenSource();
        var run = reporter.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => reporter.State.Acknowledged >= 1, Generous, () => reporter.State.ToString());

        _ca.Revoke("collector");
        _clock.Advance(RevocationFile.DefaultCheckInterval);

        await Eventually.TrueAsync(
            () => !reporter.State.Connected && reporter.State.LastError?.Contains("certificate_revoked", StringComparison.Ordinal) == true,
            Generous,
            () => reporter.State + "\n" + string.Join("\n", log));
        var acknowledged = reporter.State.Acknowledged;

        // It keeps trying (each backoff passed on the clock as soon as it is set) and keeps being refused: nothing more
        // reaches the revoked collector.
        var waited = 0;
        await Eventually.TrueAsync(
            () =>
            {
                if (_clock.Waits.Count > waited)
                {
                    _clock.Advance(_clock.Waits[waited++]);
                }

                return log.Count(l => l.Contains("certificate_revoked", StringComparison.Ordinal)) >= 2;
            },
            Generous,
            () => string.Join("\n", log));
        Assert.Equal(acknowledged, reporter.State.Acknowledged);
        Assert.False(reporter.State.Connected);

        await stop.CancelAsync();
        await run.WaitAsync(Generous);
    }

    [Fact]
    public void A_crl_that_does_not_verify_disappears_or_is_older_never_lifts_a_revocation()
    {
        var before = File.ReadAllBytes(_store.CrlPath);
        var revocation = RevocationFile.Open(_store.CrlPath, CertificateFiles.LoadCertificates(_store.CaCertificatePath), _crlLog.Enqueue, TimeSpan.Zero);
        var device = CertificateFiles.LoadCertificates(_store.CertificatePath("cam-1"))[0];
        Assert.Null(revocation.RevocationOf(device));

        _ca.Revoke("cam-1");
        Assert.StartsWith("serial ", revocation.RevocationOf(device), StringComparison.Ordinal);

        // A forged or damaged file, then the older (genuinely signed) CRL from before, then no file at all.
        File.WriteAllText(_store.CrlPath, "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n");
        Assert.NotNull(revocation.RevocationOf(device));
        File.WriteAllBytes(_store.CrlPath, before);
        Assert.NotNull(revocation.RevocationOf(device));
        File.Delete(_store.CrlPath);
        Assert.NotNull(revocation.RevocationOf(device));

        Assert.Contains(_crlLog, l => l.Contains("refused", StringComparison.Ordinal));
        Assert.Contains(_crlLog, l => l.Contains("older than number", StringComparison.Ordinal));
        Assert.Contains(_crlLog, l => l.Contains("disappeared", StringComparison.Ordinal));

        // A newer CRL from the CA is taken again.
        _ca.WriteCrl();
        Assert.NotNull(revocation.RevocationOf(device));
        Assert.Contains(_crlLog, l => l.Contains("loaded", StringComparison.Ordinal));
    }

    [Fact]
    public void A_newer_crl_that_lacks_a_revocation_adds_its_own_and_lifts_none()
    {
        var revocation = RevocationFile.Open(_store.CrlPath, CertificateFiles.LoadCertificates(_store.CaCertificatePath), _crlLog.Enqueue, TimeSpan.Zero);
        var cam1 = CertificateFiles.LoadCertificates(_store.CertificatePath("cam-1"))[0];
        var cam2 = CertificateFiles.LoadCertificates(_store.CertificatePath("cam-2"))[0];
        _ca.Revoke("cam-1");
        Assert.NotNull(revocation.RevocationOf(cam1));

        // A genuinely signed CRL with a higher number that names cam-2 only, as a hand-made list or an old tool would write.
        using var caWithKey = X509Certificate2.CreateFromPemFile(_store.CaCertificatePath, _store.CaKeyPath);
        var builder = new CertificateRevocationListBuilder();
        builder.AddEntry(cam2, DateTimeOffset.UtcNow);
        var der = builder.Build(caWithKey, 1000, DateTimeOffset.UtcNow.AddDays(7), HashAlgorithmName.SHA256);
        File.WriteAllText(_store.CrlPath, PemEncoding.WriteString("X509 CRL", der));

        Assert.Contains("CRL number 1000", revocation.RevocationOf(cam2), StringComparison.Ordinal);
        Assert.Contains("kept from an earlier CRL", revocation.RevocationOf(cam1), StringComparison.Ordinal);
        Assert.Contains(_crlLog, l => l.Contains("lacks 1 revocation(s) seen before", StringComparison.Ordinal));
    }

    [Fact]
    public void The_file_is_looked_at_again_once_per_check_interval_on_the_clock_it_is_given()
    {
        var clock = new FakeTimeProvider();
        var revocation = RevocationFile.Open(_store.CrlPath, CertificateFiles.LoadCertificates(_store.CaCertificatePath), _crlLog.Enqueue, TimeSpan.FromSeconds(1), clock);
        var device = CertificateFiles.LoadCertificates(_store.CertificatePath("cam-1"))[0];
        _ca.Revoke("cam-1");

        // Not due yet: the list read at start answers, without a look at the file.
        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Null(revocation.RevocationOf(device));

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.StartsWith("serial ", revocation.RevocationOf(device), StringComparison.Ordinal);
        Assert.Contains(_crlLog, l => l.Contains("loaded", StringComparison.Ordinal));
    }

    [Fact]
    public void A_crl_signed_by_another_ca_is_refused_at_start()
    {
        using var other = new TempDirectory("securecam-telemetry-crl-other");
        var otherStore = PkiStore.Open(other.Combine("pki"));
        using var otherCa = CertificateAuthority.Init(otherStore, new CaOptions { Name = "Other CA" }, null);

        var error = Assert.Throws<TelemetryConfigurationException>(
            () => RevocationFile.Open(otherStore.CrlPath, CertificateFiles.LoadCertificates(_store.CaCertificatePath)));
        Assert.Contains("signature does not verify", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _temp.Dispose();
    }

    private static bool Throws(Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (DtlsRefusedException)
        {
            return true;
        }
    }

    /// <summary>True once the collector has ended the session (close_notify surfaces as an IOException).</summary>
    private static bool Ended(DtlsClientConnection connection, byte[] buffer)
    {
        try
        {
            connection.Receive(buffer, 100);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private CollectorHost StartCollector()
    {
        var ca = CertificateFiles.LoadCertificates(_store.CaCertificatePath);
        return CollectorHost.Start(
            new CollectorOptions
            {
                Listen = new IPEndPoint(IPAddress.Loopback, 0),
                Identity = DtlsIdentity.Load(_store.ChainPath("collector"), _store.KeyPath("collector")),
                ClientCa = ca,
                ClientCrl = RevocationFile.Open(_store.CrlPath, ca, _crlLog.Enqueue, time: _clock),
                RequireClientCertificate = true,
            });
    }

    private ClientSettings CameraSettings(string device)
    {
        var ca = CertificateFiles.LoadCertificates(_store.CaCertificatePath);
        return new ClientSettings
        {
            Mode = TelemetryMode.Verified,
            TrustAnchor = ca,
            ExpectedName = "localhost",
            Revocation = RevocationFile.Open(_store.CrlPath, ca, _crlLog.Enqueue, time: _clock),
            DeviceIdentity = DtlsIdentity.Load(_store.ChainPath(device), _store.KeyPath(device)),
        };
    }

    private Task<DtlsClientConnection> ConnectAsync(int port, string device) =>
        DtlsClientConnection.ConnectAsync("127.0.0.1", port, CameraSettings(device) with { Revocation = null }, CancellationToken.None);
}
