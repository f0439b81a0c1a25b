using System.CommandLine;
using SecureCam.Pki;

namespace SecureCam.PkiTool.Commands;

/// <summary>`forget-key NAME`: deletes a client's private key and .p12 from the box; the certificate stays.</summary>
internal static class ForgetKeyCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "an issued name whose key is still on this box" };
        var command = new Command("forget-key", "delete a name's private key, .p12 and profile from the box (the certificate stays; revoke and renew still work)") { name };
        CommandAction.Set(command, (context, parse, cancellationToken) =>
        {
            var target = parse.GetValue(name)!;
            var deleted = ClientKeys.Forget(context.Store, target, cancellationToken);
            context.Out.WriteLine(deleted.Count == 0
                ? $"No key of '{target}' is on this box; nothing to delete"
                : $"Deleted {string.Join(", ", deleted)}; '{target}' keeps working where it is installed");
            return Task.FromResult(0);
        });
        return command;
    }
}
