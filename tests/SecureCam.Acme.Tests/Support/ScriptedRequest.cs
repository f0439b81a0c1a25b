namespace SecureCam.Acme.Tests.Support;

/// <summary>One request the scripted ACME server received.</summary>
internal sealed record ScriptedRequest(string Method, string Path, string Body);
