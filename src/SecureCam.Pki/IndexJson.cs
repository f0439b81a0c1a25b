using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecureCam.Pki;

/// <summary>
/// How index.json is (de)serialised: camelCase names, enums as camelCase words (never numbers), indented for
/// people. Source-generated, so the native (AOT) build reads and writes it like the JIT build.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters =
    [
        typeof(CamelCaseEnumConverter<CertificateKind>),
        typeof(CamelCaseEnumConverter<ClientRole>),
        typeof(CamelCaseEnumConverter<Pkcs12Format>),
        typeof(CamelCaseEnumConverter<X509RevocationReason>),
    ])]
[JsonSerializable(typeof(PkiIndex))]
internal sealed partial class IndexJson : JsonSerializerContext
{
}

/// <summary>An enum as its camelCase name; a number is refused.</summary>
internal sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;
