using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecureCam.Server.Endpoints;

/// <summary>
/// JSON of the API: camelCase, the way the viewer page's script reads it. Source-generated, so the native
/// build writes every property (a trimmed reflection serializer wrote <c>{}</c>).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = false)]
[JsonSerializable(typeof(StatusReport))]
[JsonSerializable(typeof(List<ClientEntryReport>))]
internal sealed partial class StatusJson : JsonSerializerContext
{
}
