namespace SecureCam.Server.Tests.Support;

/// <summary>Every test against the running server shares one server and runs one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
