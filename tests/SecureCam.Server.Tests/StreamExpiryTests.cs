using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SecureCam.Server.Streaming;
using SecureCam.Server.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

/// <summary>
/// A viewer whose certificate expires while its /video stream is open, on a server whose clock is a
/// <see cref="FakeTimeProvider"/>: an hour of certificate life passes without an hour of waiting.
/// </summary>
public sealed class StreamExpiryTests
{
    /// <summary>Real time allowed for the cut to reach the viewer once the clock has passed the certificate's end.</summary>
    private static readonly TimeSpan CutWithin = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task An_open_stream_is_cut_once_the_clock_passes_its_certificates_end_and_the_certificate_opens_no_other()
    {
        var clock = NewClock();
        var server = await StartAsync(clock);
        try
        {
            var (client, notAfter) = IssueExpiring(server, clock, "expiring");
            await using var video = await VideoClient.OpenAsync(server, client);

            // The camera paces itself on the fake clock: it sends its first frame at once and the next only when the
            // clock moves, so wait for the first frame in all (it may already have arrived), never for "one more".
            await Eventually.TrueAsync(() => video.Frames >= 1 || video.Reading.IsCompleted, TimeSpan.FromSeconds(20), () => "no first frame");
            Assert.False(video.Reading.IsCompleted, "the stream ended before its first frame");

            // The clock moved to a second before the end, past the re-checks due meanwhile: still streaming (the
            // synthetic camera, on the same clock, sends its next frame).
            var framesBefore = video.Frames;
            clock.Advance(notAfter - clock.GetUtcNow() - ActiveStreams.RecheckInterval);
            await Eventually.TrueAsync(() => video.Frames > framesBefore || video.Reading.IsCompleted, TimeSpan.FromSeconds(20), () => $"no frame after the clock moved; {video.Frames} in all");
            Assert.False(video.Reading.IsCompleted, "the stream ended before its certificate did");

            // Past the end: the next re-check cuts it.
            var advanced = Stopwatch.GetTimestamp();
            clock.Advance(2 * ActiveStreams.RecheckInterval);
            await Eventually.TrueAsync(() => video.Reading.IsCompleted, TimeSpan.FromSeconds(10));
            var cutAfter = Stopwatch.GetElapsedTime(advanced);
            Assert.True(cutAfter <= CutWithin, $"open stream cut only {cutAfter.TotalSeconds:0.00} s after the clock passed its certificate's end");
            await server.WaitForAuditAsync(l => l.Contains("stream-end name=\"expiring\"", StringComparison.Ordinal) && l.Contains("reason=\"certificate expired\"", StringComparison.Ordinal));

            // The same certificate cannot open another stream: the handshake judges it on the server's clock.
            var before = server.Logs.Audit.Count();
            using var again = server.CreateClient(client);
            await Assert.ThrowsAsync<HttpRequestException>(() => again.GetAsync("/video", HttpCompletionOption.ResponseHeadersRead));
            await server.WaitForAuditAsync(
                l => l.Contains("client-rejected stage=handshake", StringComparison.Ordinal) && l.Contains("reason=\"expired", StringComparison.Ordinal)
                    && l.Contains("serial=" + client.Certificate.SerialNumber, StringComparison.Ordinal),
                skip: before);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_stream_whose_camera_sends_nothing_is_cut_at_its_certificates_end_too()
    {
        // A camera command that starts and never writes a frame: nothing but the server's clock can end the stream.
        var clock = NewClock();
        var server = await StartAsync(clock, new Dictionary<string, string?> { ["Camera:Source"] = "pipe:exec sleep 600" });
        try
        {
            var (client, notAfter) = IssueExpiring(server, clock, "silent");
            await using var video = await VideoClient.OpenAsync(server, client);

            var advanced = Stopwatch.GetTimestamp();
            clock.Advance(notAfter - clock.GetUtcNow() + ActiveStreams.RecheckInterval);
            await Eventually.TrueAsync(() => video.Reading.IsCompleted, TimeSpan.FromSeconds(10));
            var cutAfter = Stopwatch.GetElapsedTime(advanced);
            Assert.True(cutAfter <= CutWithin, $"open stream cut only {cutAfter.TotalSeconds:0.00} s after the clock passed its certificate's end");
            Assert.Equal(0, video.Frames);
            var end = await server.WaitForAuditAsync(l => l.Contains("stream-end name=\"silent\"", StringComparison.Ordinal));
            Assert.Contains("frames=0 ", end, StringComparison.Ordinal);
            Assert.Contains("reason=\"certificate expired\"", end, StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_recheck_timer_runs_only_while_a_stream_is_open()
    {
        var clock = NewClock();
        var server = await StartAsync(clock);
        try
        {
            var streams = server.App.Services.GetRequiredService<ActiveStreams>();
            Assert.False(streams.Rechecking, "an idle server's re-check timer runs");

            var (client, _) = IssueExpiring(server, clock, "short-visit");
            await using (var video = await VideoClient.OpenAsync(server, client))
            {
                await Eventually.TrueAsync(() => streams.Count == 1, TimeSpan.FromSeconds(20), () => "the stream was never counted");
                Assert.True(streams.Rechecking, "an open stream has no re-check timer");
            }

            await Eventually.TrueAsync(() => streams.Count == 0, TimeSpan.FromSeconds(20), () => "the stream was never released");
            Assert.False(streams.Rechecking, "the re-check timer still runs after the last stream ended");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>Starts at the real time: the fixture's CA and server certificate are valid from now, as on a real box.</summary>
    private static FakeTimeProvider NewClock() => new(DateTimeOffset.UtcNow);

    private static async Task<ServerFixture> StartAsync(FakeTimeProvider clock, Dictionary<string, string?>? settings = null)
    {
        var server = new ServerFixture(_ => settings ?? [], (_, services) => services.AddSingleton<TimeProvider>(clock));
        await server.InitializeAsync();
        return server;
    }

    /// <summary>A viewer certificate valid for the next hour of <paramref name="clock"/>, and its end as the certificate states it (whole seconds).</summary>
    private static (ClientFiles Client, DateTimeOffset NotAfter) IssueExpiring(ServerFixture server, FakeTimeProvider clock, string name)
    {
        var now = clock.GetUtcNow();
        var client = server.Pki.MintFromCa(name, now.AddMinutes(-5), now.AddHours(1), [TestPki.ClientAuth]);
        return (client, new DateTimeOffset(client.Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));
    }
}
