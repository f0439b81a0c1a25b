namespace SecureCam.Acme.Tests.Support;

/// <summary>What the scripted ACME server answers: status, extra headers, a JSON body.</summary>
internal sealed record ScriptedResponse(int Status, string Body = "", IReadOnlyDictionary<string, string>? Headers = null)
{
    public string ContentType { get; init; } = "application/json";
}
