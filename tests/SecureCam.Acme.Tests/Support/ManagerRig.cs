using SecureCam.TestSupport;

namespace SecureCam.Acme.Tests.Support;

/// <summary>
/// A certificate manager wired to a real Pebble issuing short-lived certificates: file storage in a temp
/// PKI folder, an http-01 responder on Pebble's validation port. <see cref="Run"/> starts the loop;
/// dispose stops it and everything else.
/// </summary>
internal sealed class ManagerRig : IAsyncDisposable
{
    private readonly TempDirectory _pki;
    private readonly Http01StandaloneResponder _responder;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    private ManagerRig(PebbleServer pebble)
    {
        Pebble = pebble;
        _pki = new TempDirectory();
        Storage = new AcmeFileStorage(_pki.Combine("acme"));
        var tokens = new Http01TokenStore();
        _responder = new Http01StandaloneResponder(tokens, pebble.HttpPort);
        Manager = new AcmeCertificateManager(ManagerTestOptions.For(pebble), tokens, Storage);
    }

    public PebbleServer Pebble { get; }

    public AcmeFileStorage Storage { get; }

    public AcmeCertificateManager Manager { get; }

    public static async Task<ManagerRig> StartAsync() =>
        new(await PebbleServer.StartAsync(new PebbleOptions { CertificateValiditySeconds = ManagerTestOptions.ValiditySeconds }));

    public void Run() => _loop = Manager.RunAsync(_stop.Token);

    /// <summary>Waits (generously) until <paramref name="condition"/> holds; the failure message shows the status.</summary>
    public Task WaitUntilAsync(Func<bool> condition) =>
        Eventually.TrueAsync(condition, ManagerTestOptions.Generous, () => $"status: {Manager.Status}");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        Manager.Dispose();
        await _responder.DisposeAsync();
        await Pebble.DisposeAsync();
        _pki.Dispose();
        _stop.Dispose();
    }
}
