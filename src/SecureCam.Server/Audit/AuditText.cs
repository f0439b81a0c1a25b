using System.Text;

namespace SecureCam.Server.Audit;

/// <summary>Makes text from a client (certificate subjects, paths) safe for a one-line log entry.</summary>
internal static class AuditText
{
    /// <summary>Longest value kept: a subject is a few dozen characters; a scanner's 10 KB one is cut.</summary>
    public const int MaxLength = 256;

    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "-";
        }

        var builder = new StringBuilder(Math.Min(text.Length, MaxLength));
        foreach (var c in text)
        {
            if (builder.Length >= MaxLength)
            {
                builder.Append('…');
                break;
            }

            // Control characters (newlines above all) would let a client forge extra audit lines.
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        return builder.ToString();
    }
}
