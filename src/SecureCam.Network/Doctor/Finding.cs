namespace SecureCam.Network.Doctor;

/// <summary>One line of the report ("ok: …", "warning: …", "problem: …") and the advice printed under it.</summary>
public sealed record Finding(Severity Severity, string Area, string Text, string? Advice = null)
{
    public static Finding Ok(string area, string text, string? advice = null) => new(Severity.Ok, area, text, advice);

    public static Finding Warning(string area, string text, string? advice = null) => new(Severity.Warning, area, text, advice);

    public static Finding Problem(string area, string text, string? advice = null) => new(Severity.Problem, area, text, advice);

    public string SeverityName => Severity switch
    {
        Severity.Ok => "ok",
        Severity.Warning => "warning",
        Severity.Problem => "problem",
        _ => throw new InvalidOperationException($"No name for {Severity}"),
    };
}
