using SecureCam.TestSupport;

namespace SecureCam.Acme.Tests.Support;

/// <summary>
/// Manager settings for tests against Pebble issuing 100-second certificates: renewal is due when half
/// the lifetime is left (lifetimes under ten days), about 50 s after each issuance; retries back off
/// from 1 s up to 4 s.
/// </summary>
internal static class ManagerTestOptions
{
    public const int ValiditySeconds = 100;

    /// <summary>Long enough for a renewal to fall due and finish on a busy two-core machine.</summary>
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(150);

    public static AcmeManagerOptions For(PebbleServer pebble)
    {
        var options = new AcmeManagerOptions
        {
            AcceptTermsOfService = true,
            RetryInitialDelay = TimeSpan.FromSeconds(1),
            RetryMaxDelay = TimeSpan.FromSeconds(4),
        };
        options.Client.DirectoryUri = pebble.DirectoryUri;
        options.Client.TrustRootsFromPemFile(pebble.TrustRootPath);
        options.Domains.Add("cam.securecam.test");
        options.Emails.Add("owner@securecam.test");
        return options;
    }
}
