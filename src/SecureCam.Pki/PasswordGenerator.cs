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

    public static string New()
    {
        var groups = new string[Groups];
        for (var i = 0; i < Groups; i++)
        {
            groups[i] = RandomNumberGenerator.GetString(Alphabet, GroupLength);
        }

        return string.Join('-', groups);
    }
}
