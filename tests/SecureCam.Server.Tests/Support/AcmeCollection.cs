namespace SecureCam.Server.Tests.Support;

/// <summary>The ACME server tests run one after another: each starts its own Pebble and server, and renewal timing wants the cores.</summary>
[CollectionDefinition(Name)]
public sealed class AcmeCollection
{
    public const string Name = "acme";
}
