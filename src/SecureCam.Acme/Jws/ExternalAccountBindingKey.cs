using System.Buffers.Text;

namespace SecureCam.Acme;

/// <summary>
/// The key id and MAC key a CA hands out for external account binding (RFC 8555 §7.3.4). CAs print the
/// MAC key base64url-encoded; <see cref="FromBase64Url"/> takes it as given.
/// </summary>
public sealed record ExternalAccountBindingKey(string KeyId, byte[] MacKey)
{
    public static ExternalAccountBindingKey FromBase64Url(string keyId, string macKeyBase64Url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyId);
        ArgumentException.ThrowIfNullOrWhiteSpace(macKeyBase64Url);
        return new ExternalAccountBindingKey(keyId, Base64Url.DecodeFromChars(macKeyBase64Url.Trim().TrimEnd('=')));
    }
}
