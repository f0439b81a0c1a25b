using System.Security.Cryptography;

namespace SecureCam.Pki;

/// <summary>Certificate serial numbers: random, positive, and unique within one CA's index.</summary>
public static class SerialNumbers
{
    /// <summary>
    /// 16 random bytes with the top bit clear (a DER INTEGER is signed; a negative serial is invalid) and
    /// the first byte non-zero (so the encoding is minimal and the hex string is unambiguous).
    /// 127 bits of randomness is well above the CA/Browser Forum's 64.
    /// </summary>
    public static byte[] NewSerial(Func<string, bool> isTaken)
    {
        ArgumentNullException.ThrowIfNull(isTaken);
        while (true)
        {
            var serial = RandomNumberGenerator.GetBytes(16);
            serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
            if (!isTaken(Convert.ToHexString(serial)))
            {
                return serial;
            }
        }
    }

    /// <summary>Upper-case hex without separators or leading zeros; null when it is not hex.</summary>
    public static string? Normalize(string serial)
    {
        ArgumentNullException.ThrowIfNull(serial);
        var hex = serial.Replace(":", string.Empty, StringComparison.Ordinal).Trim();
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            hex = hex[2..];
        }

        if (hex.Length == 0 || !hex.All(char.IsAsciiHexDigit))
        {
            return null;
        }

        hex = hex.TrimStart('0');
        return hex.Length == 0 ? "0" : hex.ToUpperInvariant();
    }
}
