namespace SecureCam.Server.Authentication;

/// <summary>Role names in claims and policies; the certificate carries them as OU=viewer / OU=admin / OU=monitor.</summary>
internal static class Roles
{
    public const string Viewer = "viewer";
    public const string Admin = "admin";
    public const string Monitor = "monitor";

    /// <summary>Policy: any valid client (viewers and admins) — the camera endpoints.</summary>
    public const string ViewerPolicy = "camera-viewer";

    /// <summary>Policy: admins only — /api/clients.</summary>
    public const string AdminPolicy = "camera-admin";

    /// <summary>Policy: monitors and admins — /metrics.</summary>
    public const string MonitorPolicy = "metrics-reader";

    /// <summary>Policy: any role — /healthz.</summary>
    public const string HealthPolicy = "health-reader";
}
