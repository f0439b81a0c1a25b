using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using SecureCam.Server.Tls;

namespace SecureCam.Server.Authentication;

/// <summary>
/// Client-certificate authentication with Microsoft.AspNetCore.Authentication.Certificate, chained to the
/// local CA alone, plus the role policies. The handshake already refused every certificate
/// <see cref="ClientCertificateValidator"/> would refuse; this is the second gate, per request, for what
/// changes while a connection stays open (a revocation, an expiry, a new CA).
/// </summary>
internal static class CertificateAuthenticationSetup
{
    public const string Scheme = CertificateAuthenticationDefaults.AuthenticationScheme;

    public static IServiceCollection AddSecureCamAuthentication(this IServiceCollection services)
    {
        // The core and the scheme only: AddAuthentication would also register Data Protection, which writes
        // a key ring to disk and is of no use to a scheme that issues no cookies or tokens.
        services.AddWebEncoders();
        services.AddAuthenticationCore(o => o.DefaultScheme = Scheme);
        new AuthenticationBuilder(services).AddCertificate(Scheme);

        services.AddSingleton<ClientCertificateEvents>();
        services.AddOptions<CertificateAuthenticationOptions>(Scheme)
            .Configure<LocalCaCertificate, ClientCertificateEvents>((options, ca, events) =>
            {
                options.ChainTrustValidationMode = X509ChainTrustMode.CustomRootTrust;
                options.CustomTrustStore = [ca.Certificate];
                options.AllowedCertificateTypes = CertificateTypes.Chained;

                // Revocation is ours and live (crl.pem, re-read within a second); the package would fetch CRLs from the network.
                options.RevocationMode = X509RevocationMode.NoCheck;
                options.ValidateCertificateUse = true;
                options.ValidateValidityPeriod = true;
                options.Events = events;
            });

        // The options above are built once and kept by the options monitor: a CA replaced on disk would
        // leave the old CA as the package's only root. This token drops them whenever the CA changes.
        services.AddSingleton<IOptionsChangeTokenSource<CertificateAuthenticationOptions>, LocalCaChangeTokenSource>();

        // The package looks the cache up by this interface; ours re-checks every hit (see the class).
        services.AddSingleton<LiveCertificateValidationCache>();
        services.AddSingleton<ICertificateValidationCache>(sp => sp.GetRequiredService<LiveCertificateValidationCache>());

        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.ViewerPolicy, p => p.RequireRole(Roles.Viewer, Roles.Admin))
            .AddPolicy(Roles.AdminPolicy, p => p.RequireRole(Roles.Admin))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireRole(Roles.Viewer, Roles.Admin).Build());
        return services;
    }

    /// <summary>Signals the options monitor when <see cref="LocalCaCertificate"/> loads a new CA.</summary>
    private sealed class LocalCaChangeTokenSource(LocalCaCertificate ca) : IOptionsChangeTokenSource<CertificateAuthenticationOptions>
    {
        public string Name => Scheme;

        public IChangeToken GetChangeToken()
        {
            // One token per change: the monitor asks for the next one after this one fires.
            var changed = new CancellationTokenSource();
            EventHandler? handler = null;
            handler = (_, _) =>
            {
                ca.Changed -= handler;
                changed.Cancel();
            };
            ca.Changed += handler;
            return new CancellationChangeToken(changed.Token);
        }
    }
}
