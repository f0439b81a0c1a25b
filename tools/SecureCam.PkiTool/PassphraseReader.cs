using System.Text;
using SecureCam.Pki;

namespace SecureCam.PkiTool;

/// <summary>
/// Where the CA passphrase comes from: $SECURECAM_PKI_PASSPHRASE or --passphrase-file (both at once is
/// refused: one would silently win over the other), else a prompt without echo. The prompt is used only on
/// a terminal: a script without a passphrase gets a clear error instead of hanging on stdin.
/// </summary>
internal static class PassphraseReader
{
    public const string Variable = "SECURECAM_PKI_PASSPHRASE";

    public static string Read(string? passphraseFile, TextWriter prompt, bool confirm)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            if (passphraseFile is not null)
            {
                throw new PkiException($"both {Variable} and --passphrase-file are given; use one (unset {Variable}, or drop --passphrase-file)");
            }

            return fromEnvironment;
        }

        if (passphraseFile is not null)
        {
            return FromFile(passphraseFile);
        }

        if (Console.IsInputRedirected)
        {
            throw new PkiException($"the CA passphrase is needed: set {Variable}, pass --passphrase-file FILE, or run on a terminal");
        }

        var first = Prompt(prompt, "CA passphrase: ");
        if (first.Length == 0)
        {
            throw new PkiException("the CA passphrase is empty");
        }

        if (confirm && Prompt(prompt, "Again, to confirm: ") != first)
        {
            throw new PkiException("the two passphrases differ; nothing was written");
        }

        return first;
    }

    private static string FromFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PkiException($"cannot read --passphrase-file {path}: {e.Message}", e);
        }

        // Only the line ending an editor adds is dropped; other spaces are part of the passphrase.
        var passphrase = text.TrimEnd('\n').TrimEnd('\r');
        if (passphrase.Length == 0)
        {
            throw new PkiException($"--passphrase-file {path} is empty");
        }

        return passphrase;
    }

    private static string Prompt(TextWriter prompt, string text)
    {
        // Echo off before the prompt shows: a passphrase typed (or pasted) at once must not appear on screen.
        using var quiet = TerminalEcho.Off();
        prompt.Write(text);
        prompt.Flush();
        var typed = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                prompt.WriteLine();
                return typed.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (typed.Length > 0)
                {
                    typed.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }
    }
}
