using System.CommandLine;
using SecureCam.Pki;

namespace SecureCam.PkiTool.Commands;

/// <summary>`revoke NAME|SERIAL [--reason R]`: records the revocation and rewrites crl.pem.</summary>
internal static class RevokeCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("NAME|SERIAL") { Description = "a name (its newest certificate) or a serial in hex" };
        var reason = new Option<string>("--reason")
        {
            Description = "unspecified (default), keyCompromise, affiliationChanged, superseded, cessationOfOperation, certificateHold, privilegeWithdrawn",
            DefaultValueFactory = _ => "unspecified",
        };
        var command = new Command("revoke", "revoke a certificate and rewrite crl.pem") { target, reason };
        CommandAction.Set(command, (context, parse, cancellationToken) =>
        {
            if (!RevocationReasons.TryParse(parse.GetValue(reason), out var parsedReason))
            {
                throw new PkiException($"--reason: '{parse.GetValue(reason)}' is not a revocation reason (try keyCompromise, superseded, cessationOfOperation)");
            }

            using var ca = context.LoadCa();
            var revoked = ca.Revoke(parse.GetValue(target)!, parsedReason, cancellationToken);
            var what = revoked.Name is null ? $"serial {revoked.Serial}" : $"'{revoked.Name}' (serial {revoked.Serial})";
            var reasonName = revoked.Reason is { } r ? RevocationReasons.Name(r) : "unspecified";
            context.Out.WriteLine(revoked.AlreadyRevoked
                ? $"{what} was already revoked on {revoked.RevokedAt:yyyy-MM-dd HH:mm} UTC (reason {reasonName}); {context.Store.CrlPath} lists it"
                : $"Revoked {what}, reason {reasonName}; {context.Store.CrlPath} rewritten");
            return Task.FromResult(0);
        });
        return command;
    }
}
