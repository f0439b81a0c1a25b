using System.CommandLine;
using SecureCam.Pki;

namespace SecureCam.PkiTool.Commands;

/// <summary>`init`: makes the root CA (name-constrained to home names and addresses by default).</summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "the CA's CommonName, shown on phones", DefaultValueFactory = _ => "SecureCam Home CA" };
        var key = new Option<string>("--key") { Description = "ecdsa-p256 (default), ecdsa-p384 or rsa-3072", DefaultValueFactory = _ => "ecdsa-p256" };
        var days = new Option<int>("--days") { Description = "validity of the CA in days", DefaultValueFactory = _ => CertificateProfiles.DefaultCaDays };
        var noPassphrase = new Option<bool>("--no-passphrase") { Description = "leave ca.key unencrypted (for demos only)" };
        var permitDns = new Option<string[]>("--permit-dns") { Description = "also permit this domain (and its subdomains)", AllowMultipleArgumentsPerToken = true, Arity = ArgumentArity.ZeroOrMore };
        var permitIp = new Option<string[]>("--permit-ip") { Description = "also permit this address or network (CIDR)", AllowMultipleArgumentsPerToken = true, Arity = ArgumentArity.ZeroOrMore };
        var noConstraints = new Option<bool>("--no-name-constraints") { Description = "let the CA vouch for any name (a stolen key could then impersonate any site)" };
        var command = new Command("init", "make the root CA") { name, key, days, noPassphrase, permitDns, permitIp, noConstraints };
        CommandAction.Set(command, (context, parse, cancellationToken) =>
        {
            var extraDns = parse.GetValue(permitDns) ?? [];
            var extraIp = parse.GetValue(permitIp) ?? [];
            var constrained = !parse.GetValue(noConstraints);
            if (!constrained && (extraDns.Length > 0 || extraIp.Length > 0))
            {
                throw new PkiException("--permit-dns/--permit-ip make no sense with --no-name-constraints");
            }

            var options = new CaOptions
            {
                Name = parse.GetValue(name)!,
                KeyAlgorithm = ParseKey(parse.GetValue(key)),
                Days = parse.GetValue(days),
                NameConstraints = constrained ? NameConstraints.Default.With(extraDns, extraIp.Select(IpSubnet.Parse)) : null,
            };
            options.Validate();
            if (context.Store.HasCa)
            {
                throw new PkiException($"{context.Store.Directory} already holds a CA; not overwriting it");
            }

            var passphrase = parse.GetValue(noPassphrase) ? null : context.NewPassphrase();
            using var ca = CertificateAuthority.Init(context.Store, options, passphrase, cancellationToken);
            context.Out.WriteLine($"Made CA \"{options.Name}\" in {context.Store.Directory}");
            context.Out.WriteLine($"  certificate: {context.Store.CaCertificatePath} (valid until {ca.Certificate.NotAfter.ToUniversalTime():yyyy-MM-dd})");
            context.Out.WriteLine($"  key:         {context.Store.CaKeyPath} ({(passphrase is null ? "NOT encrypted" : "encrypted")}, mode 0600) - back it up, see docs/pki.md");
            context.Out.WriteLine($"  may vouch for: {(ca.NameConstraints is null ? "any name (no name constraints)" : ca.NameConstraints.ToString())}");
            return Task.FromResult(0);
        });
        return command;
    }

    private static CaKeyAlgorithm ParseKey(string? text) => text?.ToLowerInvariant() switch
    {
        "ecdsa-p256" => CaKeyAlgorithm.EcdsaP256,
        "ecdsa-p384" => CaKeyAlgorithm.EcdsaP384,
        "rsa-3072" => CaKeyAlgorithm.Rsa3072,
        _ => throw new PkiException($"--key: '{text}' is not one of ecdsa-p256, ecdsa-p384, rsa-3072"),
    };
}
