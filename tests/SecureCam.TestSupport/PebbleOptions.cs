namespace SecureCam.TestSupport;

/// <summary>How a test wants Pebble configured.</summary>
public sealed record PebbleOptions
{
    /// <summary>certificateValidityPeriod in seconds; null keeps Pebble's default (about five years).</summary>
    public int? CertificateValiditySeconds { get; init; }

    /// <summary>PEBBLE_WFE_NONCEREJECT: percent of good nonces rejected (Pebble's default 5).</summary>
    public int NonceRejectPercent { get; init; } = 5;

    /// <summary>PEBBLE_AUTHZREUSE: percent of orders that get an already valid authorization (default 50).</summary>
    public int AuthorizationReusePercent { get; init; } = 50;

    /// <summary>externalAccountMACKeys; when set, externalAccountBindingRequired is on.</summary>
    public IReadOnlyDictionary<string, string>? ExternalAccountMacKeys { get; init; }
}
