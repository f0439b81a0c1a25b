using System.Security.Cryptography.X509Certificates;
using SecureCam.TestSupport;

namespace SecureCam.Telemetry.Tests;

/// <summary>
/// The certificates of the telemetry tests, minted at run time with <see cref="TestPki"/>: our CA with a collector (localhost, 127.0.0.1) and a
/// camera, and a rogue CA with its own collector and camera — the man in the middle.
/// </summary>
public sealed class TelemetryCertificates : IDisposable
{
    public TelemetryCertificates()
    {
        Ca = TestPki.InMemory("SecureCam Home CA");
        Rogue = TestPki.InMemory("Rogue CA");
        CaFile = Write(Ca.Root, "ca").Cert;
        RogueCaFile = Write(Rogue.Root, "rogue-ca").Cert;
        Collector = Ca.IssueServer("collector", "localhost", "127.0.0.1");
        RogueCollector = Rogue.IssueServer("collector", "localhost", "127.0.0.1");
        Camera = Ca.IssueDevice("cam-1");
        ForeignCamera = Rogue.IssueDevice("cam-1");
        CollectorFiles = Write(Collector, "collector");
        RogueCollectorFiles = Write(RogueCollector, "rogue-collector");
        CameraFiles = Write(Camera, "cam-1");
        ForeignCameraFiles = Write(ForeignCamera, "foreign-cam");
        ViewerFiles = Write(Ca.IssueViewer("alice-phone"), "alice-phone");
    }

    public TempDirectory Directory { get; } = new("securecam-telemetry");

    public TestPki Ca { get; }

    public TestPki Rogue { get; }

    public string CaFile { get; }

    public string RogueCaFile { get; }

    public TestCertificate Collector { get; }

    public TestCertificate RogueCollector { get; }

    public TestCertificate Camera { get; }

    public TestCertificate ForeignCamera { get; }

    public (string Cert, string Key) CollectorFiles { get; }

    public (string Cert, string Key) RogueCollectorFiles { get; }

    public (string Cert, string Key) CameraFiles { get; }

    public (string Cert, string Key) ForeignCameraFiles { get; }

    /// <summary>A phone's viewer certificate from our own CA: clientAuth too, but not a camera.</summary>
    public (string Cert, string Key) ViewerFiles { get; }

    public X509Certificate2Collection CaCollection => CertificateFiles.LoadCertificates(CaFile);

    public DtlsIdentity CameraIdentity => DtlsIdentity.Load(CameraFiles.Cert, CameraFiles.Key);

    public DtlsIdentity ForeignCameraIdentity => DtlsIdentity.Load(ForeignCameraFiles.Cert, ForeignCameraFiles.Key);

    public DtlsIdentity ViewerIdentity => DtlsIdentity.Load(ViewerFiles.Cert, ViewerFiles.Key);

    public ClientSettings EncryptOnly(DtlsIdentity? device = null) => new() { Mode = TelemetryMode.EncryptOnly, DeviceIdentity = device };

    public ClientSettings Verified(string expectedName = "localhost", DtlsIdentity? device = null) => new()
    {
        Mode = TelemetryMode.Verified,
        TrustAnchor = CaCollection,
        ExpectedName = expectedName,
        DeviceIdentity = device,
    };

    public void Dispose()
    {
        Ca.Dispose();
        Rogue.Dispose();
        Directory.Dispose();
    }

    private (string Cert, string Key) Write(TestCertificate certificate, string name) => certificate.Write(Directory.Path, name);
}
