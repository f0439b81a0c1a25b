using System.Xml.Linq;
using SecureCam.TestSupport;

namespace SecureCam.Pki.Tests;

public sealed class MobileConfigTests
{
    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_profile_holds_the_root_and_the_identity(bool embedPassword)
    {
        using var test = new TestCa();
        var issued = test.Ca.IssueClient("iphone");
        var xml = MobileConfigProfile.Create(test.Ca.Certificate, "iphone", File.ReadAllBytes(issued.Pkcs12Path!), embedPassword ? issued.Pkcs12Password : null);

        var document = XDocument.Parse(xml);
        Assert.Equal("plist", document.Root!.Name.LocalName);
        var payloads = document.Root.Element("dict")!.Element("array")!.Elements("dict").ToList();
        Assert.Equal(["com.apple.security.root", "com.apple.security.pkcs12"], payloads.Select(p => Value(p, "PayloadType")).ToList());
        Assert.Equal("Configuration", Value(document.Root.Element("dict")!, "PayloadType"));
        Assert.Equal(embedPassword, xml.Contains(issued.Pkcs12Password!, StringComparison.Ordinal));
        Assert.Equal(embedPassword, xml.Contains("<key>Password</key>", StringComparison.Ordinal));

        // The root is the CA's DER, and the identity is the .p12 that openssl opens.
        Assert.Equal(test.Ca.Certificate.RawData, Convert.FromBase64String(Value(payloads[0], "PayloadContent")));
        var p12 = Path.Combine(test.Folder, "from-profile.p12");
        await File.WriteAllBytesAsync(p12, Convert.FromBase64String(Value(payloads[1], "PayloadContent")));
        await OpenSslCli.RunOkAsync("pkcs12", "-in", p12, "-passin", "pass:" + issued.Pkcs12Password, "-noout");
    }

    private static string Value(XElement dict, string key)
    {
        var keyElement = dict.Elements("key").First(k => k.Value == key);
        return ((XElement)keyElement.NextNode!).Value;
    }
}
