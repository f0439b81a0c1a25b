using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using SecureCam.Camera;
using SecureCam.Camera.Synthetic;
using SecureCam.Server.Hosting;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

public sealed class IdleMemoryReleaseTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Memory_is_released_with_a_full_collection_when_capture_stops_and_never_while_the_camera_runs()
    {
        await using var hub = new FrameHub(new SyntheticFrameSource(new SyntheticPatternSettings(160, 96, 30)), new FrameHubOptions { IdleGracePeriod = TimeSpan.FromMilliseconds(100) });
        var release = new IdleMemoryRelease(hub, new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance), NullLogger<IdleMemoryRelease>.Instance);
        await release.StartAsync(CancellationToken.None);
        try
        {
            using (hub.AddViewer())
            {
                await hub.WaitForFrameAfterAsync(0, CancellationToken.None).WaitAsync(Generous);
                Assert.False(release.ReleaseIfIdle(), "released while the camera was capturing");
            }

            Assert.Equal(0, release.Releases);

            // The hub stops capture after its grace period and raises CaptureStopped: the release follows.
            await Eventually.TrueAsync(() => release.Releases == 1, Generous, () => "memory was not released after capture stopped");
            Assert.False(hub.GetStatus().IsCapturing);
            var fullCollections = GC.CollectionCount(GC.MaxGeneration);
            Assert.True(release.ReleaseIfIdle());
            Assert.True(GC.CollectionCount(GC.MaxGeneration) > fullCollections, "no full collection");
        }
        finally
        {
            await release.StopAsync(CancellationToken.None);
        }
    }
}
