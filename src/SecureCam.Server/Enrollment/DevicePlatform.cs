namespace SecureCam.Server.Enrollment;

/// <summary>What the enrollment page offers: one install for Apple devices, CA plus .p12 for Android, both files and browser steps for a computer.</summary>
internal enum DevicePlatform
{
    Apple,
    Android,
    Desktop,
}

internal static class DevicePlatforms
{
    /// <summary>
    /// The platform a browser says it runs on. iPadOS 13+ Safari says "Macintosh": it gets the Apple
    /// profile, which a Mac installs too.
    /// </summary>
    public static DevicePlatform FromUserAgent(string? userAgent)
    {
        var agent = userAgent ?? string.Empty;
        if (agent.Contains("Android", StringComparison.OrdinalIgnoreCase))
        {
            return DevicePlatform.Android;
        }

        return agent.Contains("iPhone", StringComparison.Ordinal) || agent.Contains("iPad", StringComparison.Ordinal)
            || agent.Contains("iPod", StringComparison.Ordinal) || agent.Contains("Macintosh", StringComparison.Ordinal)
            ? DevicePlatform.Apple
            : DevicePlatform.Desktop;
    }

    /// <summary>The manual choice (?for=apple|android|desktop); null when absent or unknown.</summary>
    public static DevicePlatform? FromQuery(string? value) => value?.ToLowerInvariant() switch
    {
        "apple" => DevicePlatform.Apple,
        "android" => DevicePlatform.Android,
        "desktop" => DevicePlatform.Desktop,
        _ => null,
    };
}
