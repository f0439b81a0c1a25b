using System.CommandLine;

namespace SecureCam.PkiTool;

/// <summary>Options every command accepts.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> Pki = new("--pki")
    {
        Description = "PKI home (default: $SECURECAM_PKI, else ./pki)",
        Recursive = true,
    };

    public static readonly Option<string?> PassphraseFile = new("--passphrase-file")
    {
        Description = "read the CA passphrase from this file (else $SECURECAM_PKI_PASSPHRASE, else a prompt on a terminal)",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "on errors, show the details",
        Recursive = true,
    };
}
