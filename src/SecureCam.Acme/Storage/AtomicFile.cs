namespace SecureCam.Acme;

/// <summary>
/// ACME state files go through the PKI library's atomic writer (temp file in the same folder, flush,
/// rename, mode set at creation); this only adds the folder creation the ACME storage layout needs.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, string content, bool secret)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        Pki.AtomicFile.WriteText(path, content, secret ? Pki.AtomicFile.Secret : Pki.AtomicFile.Public);
    }
}
