namespace SecureCam.Telemetry;

/// <summary>A setting or file the telemetry code cannot use; the message is one line naming what is wrong.</summary>
public sealed class TelemetryConfigurationException : Exception
{
    public TelemetryConfigurationException(string message)
        : base(message)
    {
    }

    public TelemetryConfigurationException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public TelemetryConfigurationException()
    {
    }
}
