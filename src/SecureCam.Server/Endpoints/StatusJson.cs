using System.Text.Json;

namespace SecureCam.Server.Endpoints;

/// <summary>JSON settings of the API: camelCase, the way the viewer page's script reads it.</summary>
internal static class StatusJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = false };
}
