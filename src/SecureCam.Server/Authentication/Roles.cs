namespace SecureCam.Server.Authentication;

/// <summary>Role names in claims and policies; the certificate carries them as OU=viewer / OU=admin.</summary>
internal static class Roles
{
    public const string Viewer = "viewer";
    public const string Admin = "admin";

    /// <summary>Policy: any valid client (viewers and admins) — the camera endpoints.</summary>
    public const string ViewerPolicy = "camera-viewer";

    /// <summary>Policy: admins only — /api/clients.</summary>
    public const string AdminPolicy = "camera-admin";
}
