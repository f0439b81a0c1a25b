using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecureCam.Acme;

/// <summary>Builds the JWS bodies ACME requests carry (RFC 8555 §6.2, §7.3.4, §7.3.5).</summary>
internal static class JwsSigner
{
    /// <summary>
    /// Signs <paramref name="payload"/> for <paramref name="url"/>. With <paramref name="accountUrl"/> the
    /// header names the account ("kid"); without it, it carries the public key ("jwk"): newAccount,
    /// and revocation by certificate key, are the only requests that may do that.
    /// A null payload makes a POST-as-GET (empty payload string, RFC 8555 §6.3).
    /// </summary>
    public static JwsMessage Sign(AccountKey key, Uri url, string? nonce, Uri? accountUrl, object? payload)
    {
        var header = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["alg"] = AccountKey.Algorithm,
            ["url"] = url.AbsoluteUri,
        };
        if (nonce is not null)
        {
            header["nonce"] = nonce;
        }

        if (accountUrl is not null)
        {
            header["kid"] = accountUrl.AbsoluteUri;
        }
        else
        {
            header["jwk"] = key.Jwk();
        }

        var protectedPart = Encode(header);
        var payloadPart = payload is null ? "" : Encode(payload);
        var signature = key.Sign(Encoding.ASCII.GetBytes(protectedPart + "." + payloadPart));
        return new JwsMessage(protectedPart, payloadPart, Base64Url.EncodeToString(signature));
    }

    /// <summary>
    /// The externalAccountBinding member of a newAccount payload (RFC 8555 §7.3.4): the account's JWK,
    /// MAC'd with HS256 under the key the CA handed out, header {alg, kid, url} and no nonce.
    /// </summary>
    public static JwsMessage ExternalAccountBinding(AccountKey accountKey, string keyId, byte[] macKey, Uri newAccountUrl)
    {
        var header = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["alg"] = "HS256",
            ["kid"] = keyId,
            ["url"] = newAccountUrl.AbsoluteUri,
        };
        var protectedPart = Encode(header);
        var payloadPart = Encode(accountKey.Jwk());
        var mac = HMACSHA256.HashData(macKey, Encoding.ASCII.GetBytes(protectedPart + "." + payloadPart));
        return new JwsMessage(protectedPart, payloadPart, Base64Url.EncodeToString(mac));
    }

    /// <summary>
    /// The inner JWS of a key change (RFC 8555 §7.3.5): signed by the NEW key, "jwk" header with the new
    /// key, no nonce, payload {account, oldKey}. The outer request is then signed by the old key.
    /// </summary>
    public static JwsMessage KeyChangeInner(AccountKey oldKey, AccountKey newKey, Uri accountUrl, Uri keyChangeUrl)
    {
        var payload = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["account"] = accountUrl.AbsoluteUri,
            ["oldKey"] = oldKey.Jwk(),
        };
        return Sign(newKey, keyChangeUrl, nonce: null, accountUrl: null, payload);
    }

    private static string Encode(object value) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), AcmeJson.Default));
}

/// <summary>A JWS in the flattened JSON serialization, the only one ACME accepts (RFC 8555 §6.2).</summary>
internal sealed record JwsMessage(
    [property: JsonPropertyName("protected")] string Protected,
    [property: JsonPropertyName("payload")] string Payload,
    [property: JsonPropertyName("signature")] string Signature);
