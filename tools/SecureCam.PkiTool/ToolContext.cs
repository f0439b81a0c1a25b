using System.CommandLine;
using SecureCam.Pki;

namespace SecureCam.PkiTool;

/// <summary>What a command needs from the command line besides its own arguments: the store and the CA.</summary>
internal sealed class ToolContext
{
    private readonly ParseResult _parseResult;

    public ToolContext(ParseResult parseResult)
    {
        _parseResult = parseResult;
        Store = PkiStore.Open(parseResult.GetValue(GlobalOptions.Pki));
        Out = parseResult.InvocationConfiguration.Output;
        Error = parseResult.InvocationConfiguration.Error;
    }

    public PkiStore Store { get; }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    /// <summary>Loads the CA, asking for the passphrase only when its key is encrypted.</summary>
    public CertificateAuthority LoadCa()
    {
        Store.RequireCa();
        var passphrase = CertificateAuthority.IsKeyEncrypted(Store)
            ? PassphraseReader.Read(_parseResult.GetValue(GlobalOptions.PassphraseFile), Error, confirm: false)
            : null;
        var ca = CertificateAuthority.Load(Store, passphrase);
        ca.Warning = Warn;
        return ca;
    }

    /// <summary>A warning on stderr: something was repaired or assumed, and the owner should know.</summary>
    public void Warn(string message) => Error.WriteLine($"securecam-pki: warning: {message}");

    /// <summary>
    /// Fails early, before any passphrase prompt, when a new certificate's name is invalid or taken.
    /// The CA checks again under the lock; this is only so a person is not asked for a passphrase in vain.
    /// </summary>
    public void CheckNewName(string name)
    {
        CertificateNames.Validate(name);
        if (Store.ReadIndex().FindLatest(name) is not null)
        {
            throw new PkiException($"'{name}' already exists; use renew, or another name");
        }
    }

    /// <summary>The passphrase for a new CA (asked twice on a terminal).</summary>
    public string NewPassphrase() => PassphraseReader.Read(_parseResult.GetValue(GlobalOptions.PassphraseFile), Error, confirm: true);
}
