using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecureCam.Acme;

/// <summary>
/// The one JSON setting for every ACME body: camelCase names, nulls left out (RFC 8555 §7). Source-generated
/// for the native build; payloads are dictionaries of <c>object</c>, so every type a value can have at run
/// time is listed here too.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AcmeDirectory))]
[JsonSerializable(typeof(AcmeAccountResource))]
[JsonSerializable(typeof(AcmeOrder))]
[JsonSerializable(typeof(AcmeAuthorization))]
[JsonSerializable(typeof(AcmeChallenge))]
[JsonSerializable(typeof(AcmeProblem))]
[JsonSerializable(typeof(RenewalInfo))]
[JsonSerializable(typeof(JwsMessage))]
[JsonSerializable(typeof(Dictionary<string, object>))]
[JsonSerializable(typeof(SortedDictionary<string, string>))]
[JsonSerializable(typeof(AcmeIdentifier[]))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(int))]
internal sealed partial class AcmeJson : JsonSerializerContext
{
}
