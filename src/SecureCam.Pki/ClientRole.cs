namespace SecureCam.Pki;

/// <summary>What a client certificate may do on the camera server; carried as the subject's OU.</summary>
public enum ClientRole
{
    /// <summary>Watch the camera (OU=viewer).</summary>
    Viewer,

    /// <summary>Watch and change settings (OU=admin).</summary>
    Admin,

    /// <summary>Read /metrics and /healthz only, never an image (OU=monitor): for Prometheus or an OpenTelemetry collector.</summary>
    Monitor,
}
