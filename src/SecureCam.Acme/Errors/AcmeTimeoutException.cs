namespace SecureCam.Acme;

/// <summary>An order or authorization stayed pending/processing longer than the polling bound.</summary>
public sealed class AcmeTimeoutException : AcmeException
{
    public AcmeTimeoutException(string message)
        : base(message)
    {
    }

    public AcmeTimeoutException()
    {
    }

    public AcmeTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
