namespace SecureCam.Server.Configuration;

/// <summary>
/// A configuration value that stops the start. <see cref="Key"/> is the full configuration key
/// (e.g. <c>Server:Listen:0</c>) so the one-line error tells the owner exactly what to fix.
/// </summary>
internal sealed class SettingException : Exception
{
    public SettingException(string key, string problem)
        : base($"{key}: {problem}")
    {
        Key = key;
        Problem = problem;
    }

    public SettingException()
    {
        Key = string.Empty;
        Problem = string.Empty;
    }

    public SettingException(string message)
        : base(message)
    {
        Key = string.Empty;
        Problem = message;
    }

    public SettingException(string message, Exception innerException)
        : base(message, innerException)
    {
        Key = string.Empty;
        Problem = message;
    }

    public string Key { get; }

    public string Problem { get; }
}
