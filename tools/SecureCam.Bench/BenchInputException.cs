namespace SecureCam.Bench;

/// <summary>Bad input to a workload (a missing file, a bad URL): printed as one line, exit code 2.</summary>
internal sealed class BenchInputException : Exception
{
    public BenchInputException(string message)
        : base(message)
    {
    }

    public BenchInputException()
    {
    }

    public BenchInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
