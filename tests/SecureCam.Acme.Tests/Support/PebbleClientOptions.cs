using SecureCam.TestSupport;

namespace SecureCam.Acme.Tests.Support;

/// <summary>Client options for the shared <see cref="PebbleServer"/> (which knows nothing of this library).</summary>
internal static class PebbleClientOptions
{
    /// <summary>Client options that trust Pebble's test TLS certificate.</summary>
    public static AcmeClientOptions ClientOptions(this PebbleServer pebble)
    {
        var options = new AcmeClientOptions { DirectoryUri = pebble.DirectoryUri, PollTimeout = TimeSpan.FromSeconds(60) };
        options.TrustRootsFromPemFile(pebble.TrustRootPath);
        return options;
    }
}
