using System.Security.Cryptography;

namespace SecureCam.Pki;

/// <summary>
/// Passwords for .p12 files, made to be typed on a phone: lower-case letters and digits without the
/// look-alikes (0/o, 1/l), in groups of four. 24 characters from 32 symbols carry 120 bits.
/// </summary>
public static class PasswordGenerator
{
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
    private const int Groups = 6;
    private const int GroupLength = 4;

    public static string New() => New(Groups);

    /// <summary>
    /// Three groups (60 bits) for an enrollment link's .p12, typed on a phone keyboard. It guards the file
    /// only for the minutes it travels: the link works once and the key is gone from the box once taken.
    /// </summary>
    public static string NewShort() => New(3);

    private static string New(int count)
    {
        var groups = new string[count];
        for (var i = 0; i < count; i++)
        {
            groups[i] = RandomNumberGenerator.GetString(Alphabet, GroupLength);
        }

        return string.Join('-', groups);
    }
}
