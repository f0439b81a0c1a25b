using SecureCam.Acme;
using SecureCam.Server.Http;
using SecureCam.Server.Tls;

namespace SecureCam.Server.Acme;

/// <summary>Wires ACME into the server when <c>Acme:Enabled</c> is true; with it off, nothing of this is registered.</summary>
internal static class AcmeServices
{
    public static IServiceCollection AddSecureCamAcme(this IServiceCollection services, AcmeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(settings);
        if (!settings.Enabled)
        {
            return services;
        }

        services.AddSingleton<Http01TokenStore>();
        services.AddSingleton(sp => new TlsAlpn01CertificateStore(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new AcmeCertificateManager(
            settings.CreateManagerOptions(),
            settings.Challenge == ChallengeTypes.Http01 ? sp.GetRequiredService<Http01TokenStore>() : sp.GetRequiredService<TlsAlpn01CertificateStore>(),
            new AcmeFileStorage(settings.StorageDirectory),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<AcmeStatusSource>();

        // The challenge selector first: a validation for an ACME domain must not get the domain's certificate.
        services.AddSingleton<IServerCertificateSelector, AcmeChallengeCertificateSelector>();
        services.AddSingleton<AcmeDomainCertificateSelector>();
        services.AddSingleton<IServerCertificateSelector>(sp => sp.GetRequiredService<AcmeDomainCertificateSelector>());
        if (settings.Challenge == ChallengeTypes.Http01)
        {
            services.AddSingleton<IAcmeChallengeResponder, AcmeHttpChallengeResponder>();
        }
        else
        {
            services.AddSingleton<ITlsListenerHook, AcmeTlsAlpnHook>();
        }

        services.AddHostedService<AcmeHostedService>();
        return services;
    }
}
