using System.Runtime.CompilerServices;
using SecureCam.Server.Tls;

namespace SecureCam.Server.Tests.Support;

/// <summary>
/// Limits OpenSSL's groups as this test assembly loads, before any test opens a TLS context: OpenSSL
/// reads the section it replaces without a lock, and tests of other collections handshake in parallel
/// with the first server's start (where the server itself would do it).
/// </summary>
internal static class OpenSslGroupsFirst
{
    [ModuleInitializer]
    internal static void LimitBeforeAnyTest() => OpenSslGroups.EnsureLimited();
}
