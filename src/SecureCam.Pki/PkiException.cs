namespace SecureCam.Pki;

/// <summary>
/// A failure the user can act on (no CA yet, a name that exists, a wrong passphrase…). Its message is
/// one complete line meant to be shown as it is; anything else thrown from this library is a bug.
/// </summary>
public sealed class PkiException : Exception
{
    public PkiException(string message)
        : base(message)
    {
    }

    public PkiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PkiException()
    {
    }
}
