namespace SecureCam.Acme;

/// <summary>
/// An account: its URL (the "kid" of every later request), the key that controls it, and what the
/// server said about it (RFC 8555 §7.1.2).
/// </summary>
public sealed record AcmeAccount
{
    public required Uri Location { get; init; }

    public required AccountKey Key { get; init; }

    public required AcmeAccountResource Resource { get; init; }

    /// <summary>True when the server made a new account (201), false when it found an existing one (200).</summary>
    public bool Created { get; init; }
}
