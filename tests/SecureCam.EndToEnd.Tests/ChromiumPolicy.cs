using System.Text.Json.Nodes;

namespace SecureCam.EndToEnd.Tests;

/// <summary>
/// A managed Chromium policy file that makes the browser pick the client certificate for one origin
/// without a dialog (AutoSelectCertificateForUrls); a headless browser cannot answer the dialog.
/// The file is uniquely named and removed on dispose, so it never outlives the test.
/// </summary>
internal sealed class ChromiumPolicy : IDisposable
{
    public const string ManagedPolicyDirectory = "/etc/chromium/policies/managed";

    /// <summary>
    /// The xunit collection of every test that writes a policy: Chromium does not merge one policy from
    /// two managed files, so two such tests at once would hide each other's rule (and a dialog would hang).
    /// </summary>
    public const string Collection = "Chromium managed policy";

    private ChromiumPolicy(string path)
    {
        Path = path;
    }

    public string Path { get; }

    /// <summary>Writes the policy; null when the folder cannot be written (not root).</summary>
    public static ChromiumPolicy? TryAutoSelectCertificate(string origin)
    {
        try
        {
            Directory.CreateDirectory(ManagedPolicyDirectory);
            var path = System.IO.Path.Combine(ManagedPolicyDirectory, $"securecam-e2e-{Guid.NewGuid():N}.json");
            var rule = new JsonObject { ["pattern"] = origin, ["filter"] = new JsonObject() }.ToJsonString();
            var policy = new JsonObject { ["AutoSelectCertificateForUrls"] = new JsonArray(rule) };
            File.WriteAllText(path, policy.ToJsonString());
            return new ChromiumPolicy(path);
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
        }
    }
}
