using System.Text.Json.Serialization;

namespace SecureCam.PkiTool.Enrollment;

/// <summary>What `enroll --json` prints.</summary>
internal sealed record EnrollmentOutput(string Url, string Password, string CaFingerprint, DateTimeOffset Expires);

/// <summary>Source-generated JSON for the tool's own output (trim and Native AOT safe).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(EnrollmentOutput))]
internal sealed partial class EnrollmentJsonContext : JsonSerializerContext;
