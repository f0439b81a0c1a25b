using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Pki;

/// <summary>
/// A CRL whose signature has been checked against the CA: which serials are revoked, and when it was
/// made and goes stale. .NET can build CRLs but has no reader that checks a signature, so the
/// CertificateList structure (RFC 5280 §5.1) is read here with AsnReader.
/// </summary>
public sealed class RevocationList
{
    private static readonly Dictionary<string, (HashAlgorithmName Hash, bool IsRsa)> SignatureAlgorithms = new()
    {
        ["1.2.840.10045.4.3.2"] = (HashAlgorithmName.SHA256, false),
        ["1.2.840.10045.4.3.3"] = (HashAlgorithmName.SHA384, false),
        ["1.2.840.10045.4.3.4"] = (HashAlgorithmName.SHA512, false),
        ["1.2.840.113549.1.1.11"] = (HashAlgorithmName.SHA256, true),
        ["1.2.840.113549.1.1.12"] = (HashAlgorithmName.SHA384, true),
        ["1.2.840.113549.1.1.13"] = (HashAlgorithmName.SHA512, true),
    };

    private const string CrlNumberOid = "2.5.29.20";
    private const string ReasonCodeOid = "2.5.29.21";

    private readonly Dictionary<string, RevokedCertificate> _revoked;

    private RevocationList(DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate, BigInteger number, Dictionary<string, RevokedCertificate> revoked)
    {
        ThisUpdate = thisUpdate;
        NextUpdate = nextUpdate;
        Number = number;
        _revoked = revoked;
    }

    public DateTimeOffset ThisUpdate { get; }

    public DateTimeOffset? NextUpdate { get; }

    /// <summary>The CRL number (0 when the extension is absent).</summary>
    public BigInteger Number { get; }

    public IReadOnlyCollection<RevokedCertificate> Revoked => _revoked.Values;

    /// <summary>True when the CRL's nextUpdate has passed at <paramref name="now"/>.</summary>
    public bool IsStaleAt(DateTimeOffset now) => NextUpdate is { } next && now > next;

    /// <summary>
    /// Reads a CRL (PEM or DER) and checks that <paramref name="issuer"/> signed it. A CRL from another
    /// issuer, with a bad signature, or malformed, is a PkiException: a server must not act on it.
    /// </summary>
    public static RevocationList Load(byte[] crl, X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(crl);
        ArgumentNullException.ThrowIfNull(issuer);
        var der = PemFiles.ToDer(crl, "X509 CRL", "the CRL");
        try
        {
            return Parse(der, issuer);
        }
        catch (AsnContentException e)
        {
            throw new PkiException("the CRL is malformed", e);
        }
        catch (CryptographicException e)
        {
            throw new PkiException("the CRL is malformed", e);
        }
    }

    /// <summary>True when the serial (hex, any case, colons allowed) is on this list.</summary>
    public bool IsRevoked(string serial) => SerialNumbers.Normalize(serial) is { } key && _revoked.ContainsKey(key);

    /// <summary>True when the certificate's serial is on this list.</summary>
    public bool IsRevoked(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return IsRevoked(certificate.SerialNumber);
    }

    /// <summary>The revocation of <paramref name="serial"/>, or null.</summary>
    public RevokedCertificate? Find(string serial) =>
        SerialNumbers.Normalize(serial) is { } key && _revoked.TryGetValue(key, out var entry) ? entry : null;

    private static RevocationList Parse(byte[] der, X509Certificate2 issuer)
    {
        var certificateList = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var tbsBytes = certificateList.ReadEncodedValue();
        var signatureAlgorithm = certificateList.ReadSequence().ReadObjectIdentifier();
        var signature = certificateList.ReadBitString(out _);
        VerifySignature(tbsBytes.Span, signatureAlgorithm, signature, issuer);

        var tbs = new AsnReader(tbsBytes, AsnEncodingRules.DER).ReadSequence();
        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            tbs.ReadInteger();
        }

        tbs.ReadSequence();
        var issuerName = tbs.ReadEncodedValue();
        if (!issuerName.Span.SequenceEqual(issuer.SubjectName.RawData))
        {
            throw new PkiException($"the CRL was issued by someone else, not {issuer.Subject}");
        }

        var thisUpdate = ReadTime(tbs);
        DateTimeOffset? nextUpdate = null;
        if (tbs.HasData && IsTime(tbs.PeekTag()))
        {
            nextUpdate = ReadTime(tbs);
        }

        var revoked = new Dictionary<string, RevokedCertificate>();
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var list = tbs.ReadSequence();
            while (list.HasData)
            {
                var entry = ReadEntry(list.ReadSequence());
                revoked[SerialNumbers.Normalize(entry.Serial)!] = entry;
            }
        }

        var number = BigInteger.Zero;
        var extensionsTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(extensionsTag))
        {
            if (FindExtension(tbs.ReadSequence(extensionsTag).ReadSequence(), CrlNumberOid) is { } value)
            {
                number = new AsnReader(value, AsnEncodingRules.DER).ReadInteger();
            }
        }

        return new RevocationList(thisUpdate, nextUpdate, number, revoked);
    }

    private static RevokedCertificate ReadEntry(AsnReader entry)
    {
        var serial = Convert.ToHexString(entry.ReadIntegerBytes().Span);
        var when = ReadTime(entry);
        X509RevocationReason? reason = null;
        if (entry.HasData && FindExtension(entry.ReadSequence(), ReasonCodeOid) is { } value)
        {
            reason = new AsnReader(value, AsnEncodingRules.DER).ReadEnumeratedValue<X509RevocationReason>();
        }

        return new RevokedCertificate(serial, when, reason);
    }

    /// <summary>The value of the extension with <paramref name="oid"/> in an Extensions SEQUENCE, or null.</summary>
    private static byte[]? FindExtension(AsnReader extensions, string oid)
    {
        byte[]? found = null;
        while (extensions.HasData)
        {
            var extension = extensions.ReadSequence();
            var extensionOid = extension.ReadObjectIdentifier();
            if (extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean))
            {
                extension.ReadBoolean();
            }

            var value = extension.ReadOctetString();
            if (extensionOid == oid)
            {
                found = value;
            }
        }

        return found;
    }

    private static void VerifySignature(ReadOnlySpan<byte> tbs, string algorithm, byte[] signature, X509Certificate2 issuer)
    {
        if (!SignatureAlgorithms.TryGetValue(algorithm, out var kind))
        {
            throw new PkiException($"the CRL is signed with an algorithm securecam-pki does not handle ({algorithm})");
        }

        bool valid;
        if (kind.IsRsa)
        {
            using var rsa = issuer.GetRSAPublicKey() ?? throw new PkiException("the CRL is signed with RSA but the CA key is not RSA");
            valid = rsa.VerifyData(tbs, signature, kind.Hash, RSASignaturePadding.Pkcs1);
        }
        else
        {
            using var ecdsa = issuer.GetECDsaPublicKey() ?? throw new PkiException("the CRL is signed with ECDSA but the CA key is not ECDSA");
            valid = ecdsa.VerifyData(tbs, signature, kind.Hash, DSASignatureFormat.Rfc3279DerSequence);
        }

        if (!valid)
        {
            throw new PkiException($"the CRL's signature does not verify against {issuer.Subject}");
        }
    }

    private static bool IsTime(Asn1Tag tag) =>
        tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();
}
