using Microsoft.Extensions.Configuration;
using SecureCam.Server.Configuration;

namespace SecureCam.Server.Tests.Support;

/// <summary>One section read as `serve`, `demo` and `doctor` read it: through the one registration (<see cref="SecureCamSettingsServices.AddSecureCamSettings"/>).</summary>
internal static class TestSettings
{
    /// <summary>The section, bound, completed and validated; a bad value throws the <see cref="SettingException"/> naming its key.</summary>
    public static T Read<T>(IConfiguration configuration)
        where T : class
    {
        using var settings = SecureCamSettings.Open(configuration);
        return settings.Get<T>();
    }
}
