using SecureCam.TestSupport;

namespace SecureCam.PkiTool.Tests;

public sealed class ProfileTests
{
    [SkippableFact]
    public async Task Export_profile_embeds_the_password_only_when_asked()
    {
        using var temp = new TempDirectory("securecam-pkitool");
        var pki = temp.Combine("pki");
        await PkiToolRunner.RunOkAsync(pki, "init", "--no-passphrase");
        var issued = await PkiToolRunner.RunOkAsync(pki, "issue-client", "iphone", "--p12-password", "pear-apple-42");
        Assert.DoesNotContain("p12 password", issued.StandardOutput);

        await PkiToolRunner.RunOkAsync(pki, "export-profile", "iphone");
        var plain = File.ReadAllText(Path.Combine(pki, "issued", "iphone", "iphone.mobileconfig"));
        Assert.Contains("com.apple.security.root", plain);
        Assert.Contains("com.apple.security.pkcs12", plain);
        Assert.DoesNotContain("pear-apple-42", plain);

        var output = temp.Combine("with-password.mobileconfig");
        await PkiToolRunner.RunOkAsync(pki, "export-profile", "iphone", "--embed-password", "pear-apple-42", "--out", output);
        Assert.Contains("<key>Password</key>", File.ReadAllText(output));
        Assert.Contains("pear-apple-42", File.ReadAllText(output));
    }
}
