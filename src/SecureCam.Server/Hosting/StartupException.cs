namespace SecureCam.Server.Hosting;

/// <summary>The server cannot start; <see cref="Exception.Message"/> is the one line shown to the owner.</summary>
internal sealed class StartupException : Exception
{
    public StartupException()
    {
    }

    public StartupException(string message)
        : base(message)
    {
    }

    public StartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
