using System.Text.Json;
using SecureCam.Server.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

/// <summary>/api/status and the log never hand a viewer (or anyone) the camera's password.</summary>
public sealed class StatusRedactionTests
{
    private const string Secret = "hunter2secret";

    [Fact]
    public async Task Viewers_see_the_camera_kind_and_state_admins_the_details_and_nobody_the_password()
    {
        // A camera command holding credentials, which fails and prints them on stderr (as ffmpeg does).
        var command = $"echo 'rtsp://admin:{Secret}@cam.lan/s: 401 Unauthorized, password={Secret}' >&2; exit 3 # -i rtsp://admin:{Secret}@cam.lan/s";
        var server = new ServerFixture(_ => new Dictionary<string, string?> { ["Camera:Source"] = $"pipe:{command}", ["Server:SnapshotTimeoutSeconds"] = "1" });
        await server.InitializeAsync();
        try
        {
            using var viewer = server.CreateClient(server.Viewer);
            using var admin = server.CreateClient(server.Admin);
            JsonElement adminCamera = default;
            await Eventually.TrueAsync(
                async () =>
                {
                    // A snapshot request starts the camera; it fails and records its error.
                    using var _ = await viewer.GetAsync(new Uri("/snapshot", UriKind.Relative));
                    using var status = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/api/status", UriKind.Relative)));
                    adminCamera = status.RootElement.GetProperty("camera").Clone();
                    return adminCamera.GetProperty("lastError").ValueKind == JsonValueKind.String;
                },
                TimeSpan.FromSeconds(30));

            var viewerJson = await viewer.GetStringAsync(new Uri("/api/status", UriKind.Relative));
            using var viewerStatus = JsonDocument.Parse(viewerJson);
            var viewerCamera = viewerStatus.RootElement.GetProperty("camera");
            Assert.Equal("pipe", viewerCamera.GetProperty("source").GetString());
            Assert.Contains(viewerCamera.GetProperty("state").GetString(), new[] { "starting", "error" });
            Assert.Equal(JsonValueKind.Null, viewerCamera.GetProperty("description").ValueKind);
            Assert.Equal(JsonValueKind.Null, viewerCamera.GetProperty("lastError").ValueKind);
            Assert.DoesNotContain(Secret, viewerJson, StringComparison.Ordinal);
            Assert.DoesNotContain("cam.lan", viewerJson, StringComparison.Ordinal);

            Assert.Contains("rtsp://***@cam.lan/s", adminCamera.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Contains("401 Unauthorized", adminCamera.GetProperty("lastError").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, adminCamera.GetRawText(), StringComparison.Ordinal);
            Assert.Contains(server.Logs.Lines, l => l.Contains("401 Unauthorized", StringComparison.Ordinal));
            Assert.DoesNotContain(server.Logs.Lines, l => l.Contains(Secret, StringComparison.Ordinal));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
