using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;

namespace SecureCam.Pki;

/// <summary>
/// An Apple configuration profile (.mobileconfig, a property list) that installs the root
/// (com.apple.security.root) and a client identity (com.apple.security.pkcs12) in one step on an
/// iPhone, iPad or Mac. Unsigned: the device shows it as "Not Verified", which is expected for a
/// profile the owner made. The .p12 password is embedded only when the caller passes it; otherwise
/// the device asks for it during installation.
/// </summary>
public static class MobileConfigProfile
{
    public static string Create(X509Certificate2 ca, string name, byte[] pkcs12, string? embeddedPassword)
    {
        ArgumentNullException.ThrowIfNull(ca);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(pkcs12);

        // Identifiers are stable per CA and name, so installing a renewed profile replaces the old one.
        var caId = Thumbprints.Sha256(ca)[..16].ToLowerInvariant();
        var baseId = $"securecam.pki.{caId}.{name}";
        var caName = ca.GetNameInfo(X509NameType.SimpleName, false);

        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) };
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, settings))
        {
            xml.WriteStartDocument();
            xml.WriteDocType("plist", "-//Apple//DTD PLIST 1.0//EN", "http://www.apple.com/DTDs/PropertyList-1.0.dtd", null);
            xml.WriteStartElement("plist");
            xml.WriteAttributeString("version", "1.0");
            xml.WriteStartElement("dict");

            Key(xml, "PayloadContent");
            xml.WriteStartElement("array");
            WritePayload(xml, "com.apple.security.root", $"{baseId}.root", caName, "ca.cer", ca.RawData, null);
            WritePayload(xml, "com.apple.security.pkcs12", $"{baseId}.identity", name, name + ".p12", pkcs12, embeddedPassword);
            xml.WriteEndElement();

            String(xml, "PayloadDisplayName", $"SecureCam: {name}");
            String(xml, "PayloadDescription", $"Trusts {caName} and installs the client identity '{name}' for the SecureCam camera.");
            String(xml, "PayloadIdentifier", baseId);
            String(xml, "PayloadOrganization", CertificateProfiles.Organization);
            String(xml, "PayloadType", "Configuration");
            String(xml, "PayloadUUID", Guid.NewGuid().ToString().ToUpperInvariant());
            Integer(xml, "PayloadVersion", 1);
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WritePayload(XmlWriter xml, string type, string identifier, string displayName, string fileName, byte[] content, string? password)
    {
        xml.WriteStartElement("dict");
        String(xml, "PayloadCertificateFileName", fileName);
        Key(xml, "PayloadContent");
        xml.WriteStartElement("data");
        xml.WriteString(Convert.ToBase64String(content));
        xml.WriteEndElement();
        String(xml, "PayloadDisplayName", displayName);
        String(xml, "PayloadIdentifier", identifier);
        String(xml, "PayloadType", type);
        String(xml, "PayloadUUID", Guid.NewGuid().ToString().ToUpperInvariant());
        Integer(xml, "PayloadVersion", 1);
        if (password is not null)
        {
            String(xml, "Password", password);
        }

        xml.WriteEndElement();
    }

    private static void Key(XmlWriter xml, string key) => xml.WriteElementString("key", key);

    private static void String(XmlWriter xml, string key, string value)
    {
        Key(xml, key);
        xml.WriteElementString("string", value);
    }

    private static void Integer(XmlWriter xml, string key, int value)
    {
        Key(xml, key);
        xml.WriteElementString("integer", value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
