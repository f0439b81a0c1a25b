namespace SecureCam.Pki;

/// <summary>How a client's .p12 file is encrypted.</summary>
public enum Pkcs12Format
{
    /// <summary>
    /// 3DES with a SHA-1 MAC: imports on every iPhone and Android reported, and OpenSSL 3 still reads it
    /// without -legacy. AES-256 files fail with "wrong password" on Android 13 and older and on some
    /// iOS/macOS versions, so this is the default (see docs/pki.md).
    /// </summary>
    Legacy,

    /// <summary>PBES2 with AES-256-CBC and a SHA-256 MAC, for platforms known to read it.</summary>
    Modern,
}
