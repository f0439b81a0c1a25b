using System.CommandLine;
using SecureCam.PkiTool.Commands;

namespace SecureCam.PkiTool;

/// <summary>The `securecam-pki` command tree.</summary>
internal static class PkiCommandLine
{
    public static RootCommand Create()
    {
        var root = new RootCommand("securecam-pki: the local certificate authority for SecureCam (a name-constrained root, server/client/device certificates, CRL)")
        {
            GlobalOptions.Pki,
            GlobalOptions.PassphraseFile,
            GlobalOptions.Verbose,
        };
        root.Subcommands.Add(InitCommand.Create());
        root.Subcommands.Add(IssueServerCommand.Create());
        root.Subcommands.Add(IssueClientCommand.Create());
        root.Subcommands.Add(EnrollCommand.Create());
        root.Subcommands.Add(IssueDeviceCommand.Create());
        root.Subcommands.Add(ExportProfileCommand.Create());
        root.Subcommands.Add(ListCommand.Create());
        root.Subcommands.Add(RevokeCommand.Create());
        root.Subcommands.Add(CrlCommand.Create());
        root.Subcommands.Add(RenewCommand.Create());
        root.Subcommands.Add(ExportCaCommand.Create());
        root.Subcommands.Add(VerifyCommand.Create());
        root.Subcommands.Add(ForgetKeyCommand.Create());
        return root;
    }
}
