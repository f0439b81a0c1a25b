using System.Reflection;
using SecureCam.TestSupport;

namespace SecureCam.Acme.Tests.Support;

/// <summary>Runs the built `securecam` (same configuration as this test assembly) as a process.</summary>
internal static class SecureCamCli
{
    public static Task<ProcessResult> RunAsync(params string[] arguments)
    {
        var configuration = typeof(SecureCamCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "BuildConfiguration").Value!;
        var dll = Path.Combine(RepositoryPaths.Root, "src", "SecureCam.Server", "bin", configuration, "net10.0", "securecam.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution first");
        return ExternalProcess.RunAsync("dotnet", [dll, .. arguments], timeout: TimeSpan.FromMinutes(2));
    }
}
