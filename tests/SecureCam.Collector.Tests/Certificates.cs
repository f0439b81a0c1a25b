using SecureCam.TestSupport;

namespace SecureCam.Collector.Tests;

/// <summary>Certificate files for one test: our CA, the collector (localhost, 127.0.0.1), a camera, a foreign camera, a monitor and a viewer.</summary>
public sealed class Certificates : IDisposable
{
    public Certificates()
    {
        using var ca = TestPki.InMemory("SecureCam Home CA");
        using var rogue = TestPki.InMemory("Rogue CA");
        CaFile = ca.Root.Write(Directory.Path, "ca").Cert;
        Collector = ca.IssueServer("collector", "localhost", "127.0.0.1").Write(Directory.Path, "collector");
        Camera = ca.IssueDevice("cam-1").Write(Directory.Path, "cam-1");
        ForeignCamera = rogue.IssueDevice("cam-1").Write(Directory.Path, "foreign");
        Monitor = ca.IssueMonitor("prometheus").Write(Directory.Path, "prometheus");
        Viewer = ca.IssueViewer("alice").Write(Directory.Path, "alice");
    }

    public TempDirectory Directory { get; } = new("securecam-collector");

    public string CaFile { get; }

    public (string Cert, string Key) Collector { get; }

    public (string Cert, string Key) Camera { get; }

    public (string Cert, string Key) ForeignCamera { get; }

    public (string Cert, string Key) Monitor { get; }

    public (string Cert, string Key) Viewer { get; }

    public string OutFile => Directory.Combine("records.jsonl");

    public void Dispose() => Directory.Dispose();
}
