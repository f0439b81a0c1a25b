namespace SecureCam.Server.Configuration;

/// <summary>How the server's encrypted bytes leave (<c>Server:TlsOutput</c>); the TLS itself is the same either way.</summary>
internal enum TlsOutputMode
{
    /// <summary>Full-size 16 KB records sent straight to the socket (src/SecureCam.Server/TlsOutput/).</summary>
    Direct,

    /// <summary>Stock Kestrel: 4 KB records through its transport pipe and send loop; the fallback if a .NET update breaks Direct.</summary>
    Kestrel,
}
