namespace SecureCam.Acme;

/// <summary>The base of every error the ACME client raises; its message is one line a user can act on.</summary>
public class AcmeException : Exception
{
    public AcmeException(string message)
        : base(message)
    {
    }

    public AcmeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public AcmeException()
    {
    }
}
