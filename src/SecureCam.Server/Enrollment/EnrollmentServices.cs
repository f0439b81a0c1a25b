using SecureCam.Server.Tls;

namespace SecureCam.Server.Enrollment;

/// <summary>Registers phone enrollment (docs/pki.md, "Enroll a phone").</summary>
internal static class EnrollmentServices
{
    /// <summary>
    /// The clock tickets are judged by: the system clock, replaced in tests by a fake one (keyed, so the
    /// camera and the rest of the server keep the real clock).
    /// </summary>
    public const string ClockKey = "enrollment";

    public static IServiceCollection AddSecureCamEnrollment(this IServiceCollection services, EnrollmentSettings settings)
    {
        services.AddSingleton(settings);
        services.AddKeyedSingleton(ClockKey, TimeProvider.System);
        services.AddSingleton<PkiStoreAccess>();
        services.AddSingleton<EnrollmentAudit>();
        services.AddSingleton<EnrollmentEndpoints>();
        services.AddSingleton<EnrollmentListener>();

        // Polled by the PkiFileWatcher with the CRL and certificates; hosted only to close the port on shutdown.
        services.AddSingleton<IAsyncReloadable>(sp => sp.GetRequiredService<EnrollmentListener>());
        services.AddHostedService(sp => sp.GetRequiredService<EnrollmentListener>());
        return services;
    }
}
