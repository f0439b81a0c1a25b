namespace SecureCam.Server.Configuration;

/// <summary>Which AEAD cipher the server puts first (<c>Server:CipherPreference</c>); the offered set is the same either way.</summary>
internal enum CipherPreference
{
    /// <summary>AES-128-GCM first where the CPU has AES instructions, ChaCha20-Poly1305 first where it has none.</summary>
    Auto,

    /// <summary>AES-128-GCM first, whatever the CPU.</summary>
    Aes,

    /// <summary>ChaCha20-Poly1305 first, whatever the CPU.</summary>
    ChaCha20,
}
