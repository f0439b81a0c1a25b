namespace SecureCam.Server.Configuration;

/// <summary>How a listen URL names its host.</summary>
internal enum ListenHostKind
{
    /// <summary>A literal IPv4 or IPv6 address (0.0.0.0 and [::] included).</summary>
    Address,

    /// <summary><c>localhost</c>: both 127.0.0.1 and ::1.</summary>
    Localhost,

    /// <summary><c>*</c> or <c>+</c>: every address, IPv4 and IPv6.</summary>
    AnyAddress,
}
