namespace SecureCam.Server.Tls;

/// <summary>Why one connection's handshake failed, as Kestrel reported it (filled by <see cref="HandshakeErrorCapture"/>).</summary>
internal sealed class HandshakeFailure
{
    public string? Reason { get; set; }

    /// <summary>True when the client went away (EOF, reset) rather than being refused.</summary>
    public bool ClientLeft { get; set; }
}
