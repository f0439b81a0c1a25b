using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Pki;

/// <summary>
/// The local CA, loaded with its key: makes it (<see cref="Init"/>), issues server, client and device
/// certificates, revokes, writes the CRL and renews. Every change holds the store's exclusive lock and
/// re-reads the index under it, so concurrent processes never lose each other's entries.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private readonly AsymmetricAlgorithm _key;
    private readonly X509Certificate2 _signer;

    private CertificateAuthority(PkiStore store, X509Certificate2 certificate, AsymmetricAlgorithm key)
    {
        Store = store;
        Certificate = certificate;
        _key = key;
        _signer = CaKeys.WithKey(certificate, key);
        NameConstraints = NameConstraints.FromCertificate(certificate);
    }

    public PkiStore Store { get; }

    /// <summary>The CA certificate (public part).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The names this CA may vouch for; null when it was made with --no-name-constraints.</summary>
    public NameConstraints? NameConstraints { get; }

    /// <summary>True when the store's CA key is encrypted (a passphrase is needed to load it).</summary>
    public static bool IsKeyEncrypted(PkiStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.RequireCa();
        return File.Exists(store.CaKeyPath) && CaKeys.IsEncrypted(File.ReadAllText(store.CaKeyPath));
    }

    /// <summary>
    /// Makes a new CA in <paramref name="store"/>: key, self-signed certificate, empty index, first CRL.
    /// <paramref name="passphrase"/> null writes the key unencrypted (the demo); otherwise it encrypts it.
    /// Refuses when the store already has a CA.
    /// </summary>
    public static CertificateAuthority Init(PkiStore store, CaOptions options, string? passphrase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (passphrase is { Length: 0 })
        {
            throw new PkiException("the CA passphrase is empty; give one, or use --no-passphrase");
        }

        using var storeLock = store.Lock(cancellationToken: cancellationToken);
        if (store.HasCa || File.Exists(store.CaKeyPath) || File.Exists(store.IndexPath))
        {
            throw new PkiException($"{store.Directory} already holds a CA; not overwriting it");
        }

        var key = CaKeys.Create(options.KeyAlgorithm);
        try
        {
            var certificate = CreateCaCertificate(options, key);
            AtomicFile.WriteText(store.CaKeyPath, CaKeys.ExportPem(key, passphrase), AtomicFile.Secret, overwrite: false);
            AtomicFile.WriteText(store.CaCertificatePath, certificate.ExportCertificatePem() + "\n", AtomicFile.Public, overwrite: false);
            store.WriteIndex(new PkiIndex { CaSha256 = Thumbprints.Sha256(certificate) });
            var ca = new CertificateAuthority(store, certificate, key);
            ca.WriteCrlLocked(store.ReadIndex());
            return ca;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Loads the CA of <paramref name="store"/>; a wrong or missing passphrase is a one-line PkiException.</summary>
    public static CertificateAuthority Load(PkiStore store, string? passphrase)
    {
        ArgumentNullException.ThrowIfNull(store);
        var certificate = store.ReadCaCertificate();
        if (!File.Exists(store.CaKeyPath))
        {
            throw new PkiException($"{store.CaKeyPath} is missing; restore it from your backup");
        }

        var key = CaKeys.Import(certificate, File.ReadAllText(store.CaKeyPath), passphrase, store.CaKeyPath);
        try
        {
            return new CertificateAuthority(store, certificate, key);
        }
        catch (ArgumentException e)
        {
            key.Dispose();
            throw new PkiException($"{store.CaKeyPath} does not belong to {store.CaCertificatePath}", e);
        }
    }

    /// <summary>Issues a TLS server certificate (EKU serverAuth) for the given DNS names and addresses.</summary>
    public IssuedCertificate IssueServer(ServerCertificateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Issue(
            new LeafPlan(request.Name, CertificateKind.Server)
            {
                DnsNames = request.DnsNames.Select(d => d.Trim().ToLowerInvariant()).Distinct().ToList(),
                IpAddresses = request.IpAddresses.Distinct().ToList(),
                Days = request.Days,
            },
            cancellationToken);
    }

    /// <summary>Convenience form of <see cref="IssueServer(ServerCertificateRequest, CancellationToken)"/>.</summary>
    public IssuedCertificate IssueServer(string name, IEnumerable<string> dnsNames, IEnumerable<IPAddress> ipAddresses, CancellationToken cancellationToken = default) =>
        IssueServer(new ServerCertificateRequest(name) { DnsNames = [.. dnsNames], IpAddresses = [.. ipAddresses] }, cancellationToken);

    /// <summary>
    /// Issues a client identity (EKU clientAuth, OU=role) with cert.pem, key.pem, chain.pem and NAME.p12.
    /// The returned <see cref="IssuedCertificate.Pkcs12Password"/> is the only copy of a generated password.
    /// </summary>
    public IssuedCertificate IssueClient(ClientCertificateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Issue(
            new LeafPlan(request.Name, CertificateKind.Client)
            {
                Role = request.Role,
                Days = request.Days,
                Pkcs12Format = request.Pkcs12Format,
                Pkcs12Password = request.Pkcs12Password,
            },
            cancellationToken);
    }

    /// <summary>Convenience form: a viewer (or <paramref name="role"/>) with a generated .p12 password.</summary>
    public IssuedCertificate IssueClient(string name, ClientRole role = ClientRole.Viewer, CancellationToken cancellationToken = default) =>
        IssueClient(new ClientCertificateRequest(name) { Role = role }, cancellationToken);

    /// <summary>Issues a camera's own identity for mutual DTLS (ECDSA P-256, EKU clientAuth, PEM files).</summary>
    public IssuedCertificate IssueDevice(string name, int days = CertificateProfiles.DefaultLeafDays, CancellationToken cancellationToken = default) =>
        Issue(new LeafPlan(name, CertificateKind.Device) { Days = days }, cancellationToken);

    /// <summary>
    /// Where the CA reports what it repaired on its own (an index that lacked published revocations);
    /// the tool prints these on stderr. Null: not reported.
    /// </summary>
    public Action<string>? Warning { get; set; }

    /// <summary>
    /// Revokes the newest certificate called <paramref name="nameOrSerial"/>, or the one with that serial
    /// (hex), records reason and time durably in index.json, and rewrites crl.pem. A serial the index has
    /// no entry for is revoked too (recorded as a bare serial). Revoking again is not an error: the first
    /// revocation stands, and crl.pem is rewritten if it lacks the serial (a retry after a crash).
    /// </summary>
    public Revocation Revoke(string nameOrSerial, X509RevocationReason reason = X509RevocationReason.Unspecified, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nameOrSerial);
        using var storeLock = Store.Lock(cancellationToken: cancellationToken);
        var index = ReadIndexMergedLocked();
        var target = (CertificateNames.IsValid(nameOrSerial) ? index.FindLatest(nameOrSerial) : null) ?? index.FindBySerial(nameOrSerial);
        var serial = target?.Serial ?? SerialNumbers.Normalize(nameOrSerial)
            ?? throw new PkiException($"no certificate named '{nameOrSerial}' in {Store.IndexPath}, and it is not a serial in hex");
        if (index.FindRevocation(serial) is { } earlier)
        {
            if (!PublishedCrlLists(serial))
            {
                WriteCrlLocked(index);
            }

            return new Revocation(target?.Name, earlier.Serial, earlier.RevokedAt, earlier.Reason, AlreadyRevoked: true);
        }

        var now = DateTimeOffset.UtcNow;
        PkiIndex updated;
        if (target is not null)
        {
            var revoked = target with { RevokedAt = now, RevocationReason = reason };
            updated = index with { Entries = index.Entries.Select(e => ReferenceEquals(e, target) ? revoked : e).ToList() };
        }
        else
        {
            Warning?.Invoke($"serial {serial} has no entry in {Store.IndexPath}; revoking it anyway (it stays on every CRL from now on)");
            updated = index with { RevokedSerials = [.. index.RevokedSerials, new RevokedCertificate(serial, now, reason)] };
        }

        // index.json first: once it holds the revocation, every later CRL carries it, even if this
        // process dies before crl.pem is written (a repeated revoke then finishes the job).
        Store.WriteIndex(updated);
        WriteCrlLocked(updated);
        return new Revocation(target?.Name, serial, now, reason, AlreadyRevoked: false);
    }

    /// <summary>Writes crl.pem again (a new number, a new validity) from the index and the CRL published before.</summary>
    public RevocationList WriteCrl(CancellationToken cancellationToken = default)
    {
        using var storeLock = Store.Lock(cancellationToken: cancellationToken);
        return WriteCrlLocked(ReadIndexMergedLocked());
    }

    /// <summary>
    /// Replaces the certificate called <paramref name="name"/>: a new key and certificate with the same
    /// names, role, lifetime and .p12 format; the old one is revoked with reason superseded.
    /// <paramref name="pkcs12Password"/> null generates a new password for a client.
    /// </summary>
    public IssuedCertificate Renew(string name, string? pkcs12Password = null, CancellationToken cancellationToken = default)
    {
        CertificateNames.Validate(name);
        using var storeLock = Store.Lock(cancellationToken: cancellationToken);
        var index = ReadIndexMergedLocked();
        var old = index.FindLatest(name) ?? throw new PkiException($"no certificate named '{name}' to renew");
        var lifetime = old.NotAfter - old.NotBefore - CertificateProfiles.Backdate;
        // The identity DNS name (see LeafCertificateBuilder.IdentityDnsName) is derived, not asked for:
        // leave it out of the request so the builder adds it again only when it is still needed.
        var identity = LeafCertificateBuilder.IdentityDnsName(new LeafPlan(name, old.Kind), NameConstraints);
        var plan = new LeafPlan(name, old.Kind)
        {
            Role = old.Role,
            DnsNames = old.DnsNames.Where(d => d != identity).ToList(),
            IpAddresses = old.IpAddresses.Select(IPAddress.Parse).ToList(),
            Days = Math.Max(1, (int)Math.Round(lifetime.TotalDays)),
            Pkcs12Format = old.Kind == CertificateKind.Client ? old.Pkcs12Format ?? Pkcs12Format.Legacy : null,
            Pkcs12Password = pkcs12Password,
        };
        CheckPlan(plan);
        var issued = IssueLocked(plan, index, replacing: old);
        var revoked = old.IsRevoked ? old : old with { RevokedAt = DateTimeOffset.UtcNow, RevocationReason = X509RevocationReason.Superseded };
        var entries = index.Entries.Select(e => ReferenceEquals(e, old) ? revoked : e).Append(issued.Entry).ToList();
        var updated = index with { Entries = entries };
        Store.WriteIndex(updated);
        WriteCrlLocked(updated);
        return issued with { Replaced = revoked };
    }

    public void Dispose()
    {
        _signer.Dispose();
        _key.Dispose();
        Certificate.Dispose();
    }

    /// <summary>
    /// Signs a request with the CA key without any of the checks <see cref="IssueServer(ServerCertificateRequest, CancellationToken)"/>
    /// makes (name constraints, validity). Tests use it to forge a certificate the CA would refuse, to prove
    /// that verifiers enforce the constraints; nothing else may.
    /// </summary>
    internal X509Certificate2 SignUnchecked(CertificateRequest request, DateTimeOffset notBefore, DateTimeOffset notAfter, byte[] serial) =>
        request.Create(Certificate.SubjectName, CaKeys.SignatureGenerator(_key), notBefore, notAfter, serial);

    internal HashAlgorithmName SignatureHash => CaKeys.HashFor(_key);

    private static X509Certificate2 CreateCaCertificate(CaOptions options, AsymmetricAlgorithm key)
    {
        var subject = CertificateProfiles.CaSubject(options.Name);
        var hash = CaKeys.HashFor(key);
        var request = key switch
        {
            ECDsa ecdsa => new CertificateRequest(subject, ecdsa, hash),
            RSA rsa => new CertificateRequest(subject, rsa, hash, RSASignaturePadding.Pkcs1),
            _ => throw new PkiException("unsupported CA key type"),
        };

        // pathLenConstraint 0: this CA signs leaves only; a leaked leaf key can never become a CA.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        if (options.NameConstraints is { } constraints)
        {
            request.CertificateExtensions.Add(constraints.ToExtension());
        }

        var now = DateTimeOffset.UtcNow;
        var serial = SerialNumbers.NewSerial(_ => false);
        return request.Create(subject, CaKeys.SignatureGenerator(key), now - CertificateProfiles.Backdate, now.AddDays(options.Days), serial);
    }

    private IssuedCertificate Issue(LeafPlan plan, CancellationToken cancellationToken)
    {
        CheckPlan(plan);
        using var storeLock = Store.Lock(cancellationToken: cancellationToken);
        var index = Store.ReadIndex();
        if (index.FindLatest(plan.Name) is { } existing)
        {
            throw new PkiException($"'{plan.Name}' already exists ({existing.Kind.ToString().ToLowerInvariant()}, serial {existing.Serial}); use renew, or another name");
        }

        if (Directory.Exists(Store.EntryDirectory(plan.Name)))
        {
            throw new PkiException($"{Store.EntryDirectory(plan.Name)} already exists but is not in the index; move it away first");
        }

        var issued = IssueLocked(plan, index, replacing: null);
        Store.WriteIndex(index with { Entries = [.. index.Entries, issued.Entry] });
        return issued;
    }

    /// <summary>Checks a plan against the profiles and this CA's constraints before anything is written.</summary>
    private void CheckPlan(LeafPlan plan)
    {
        CertificateNames.Validate(plan.Name);
        if (plan.Kind == CertificateKind.Server && plan.DnsNames.Count == 0 && plan.IpAddresses.Count == 0)
        {
            throw new PkiException("a server certificate needs at least one --dns or --ip name");
        }

        foreach (var dns in plan.DnsNames)
        {
            if (!DnsNames.IsValid(dns, allowWildcard: true))
            {
                throw new PkiException($"invalid DNS name '{dns}'");
            }

            if (NameConstraints is { } constraints && !constraints.Permits(dns.StartsWith("*.", StringComparison.Ordinal) ? dns[2..] : dns))
            {
                throw new PkiException($"this CA's name constraints do not permit the DNS name '{dns}' (permitted: {string.Join(", ", constraints.PermittedDns)})");
            }
        }

        foreach (var address in plan.IpAddresses)
        {
            if (NameConstraints is { } constraints && !constraints.Permits(address))
            {
                throw new PkiException($"this CA's name constraints do not permit the address {address} (permitted: {string.Join(", ", constraints.PermittedIp)})");
            }
        }

        var maxDays = plan.Kind == CertificateKind.Server ? CertificateProfiles.MaxServerDays : int.MaxValue;
        if (plan.Days < 1 || plan.Days > maxDays)
        {
            throw new PkiException(plan.Kind == CertificateKind.Server
                ? $"--days: {plan.Days} is out of range; a server certificate may last 1-{CertificateProfiles.MaxServerDays} days (Apple's limit)"
                : $"--days: {plan.Days} is out of range");
        }

        var notAfter = DateTimeOffset.UtcNow.AddDays(plan.Days);
        if (notAfter > Certificate.NotAfter.ToUniversalTime())
        {
            throw new PkiException($"--days: the CA itself expires on {Certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}; ask for fewer days");
        }

        if (plan.Pkcs12Password is { Length: 0 })
        {
            throw new PkiException("--p12-password is empty; leave it out to get a generated one");
        }
    }

    /// <summary>Makes key and certificate, writes the entry's files; the caller holds the lock and writes the index.</summary>
    private IssuedCertificate IssueLocked(LeafPlan plan, PkiIndex index, IndexEntry? replacing)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = LeafCertificateBuilder.Build(plan, key, Certificate, SignatureHash, NameConstraints);
        var serial = SerialNumbers.NewSerial(candidate => index.FindBySerial(candidate) is not null || index.FindRevocation(candidate) is not null);
        var now = DateTimeOffset.UtcNow;
        using var signed = SignUnchecked(request, now - CertificateProfiles.Backdate, now.AddDays(plan.Days), serial);
        var certificate = signed.CopyWithPrivateKey(key);

        string? password = null;
        if (plan.Kind == CertificateKind.Client)
        {
            password = plan.Pkcs12Password ?? PasswordGenerator.New();
        }

        var files = new EntryWriter(Store, plan.Name);
        files.Write(certificate, key, Certificate, plan.Pkcs12Format ?? Pkcs12Format.Legacy, password, replace: replacing is not null);

        var sans = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        var entry = new IndexEntry
        {
            Name = plan.Name,
            Kind = plan.Kind,
            Role = plan.Role,
            Serial = Convert.ToHexString(serial),
            Subject = certificate.Subject,
            DnsNames = sans?.EnumerateDnsNames().ToList() ?? [],
            IpAddresses = sans?.EnumerateIPAddresses().Select(a => a.ToString()).ToList() ?? [],
            NotBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime()),
            NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime()),
            Sha256 = Thumbprints.Sha256(certificate),
            Pkcs12Format = plan.Kind == CertificateKind.Client ? plan.Pkcs12Format ?? Pkcs12Format.Legacy : null,
        };
        return new IssuedCertificate(entry, certificate, files.CertificatePath, files.KeyPath, files.ChainPath)
        {
            Pkcs12Path = password is null ? null : files.Pkcs12Path,
            Pkcs12Password = password,
            Pkcs12PasswordGenerated = password is not null && plan.Pkcs12Password is null,
        };
    }

    /// <summary>
    /// The index with every revocation the published crl.pem lists merged in, written back when it lacked
    /// any (loudly, through <see cref="Warning"/>): an index restored from a backup must never make the next
    /// CRL lift a revocation. The caller holds the lock.
    /// </summary>
    private PkiIndex ReadIndexMergedLocked()
    {
        var index = Store.ReadIndex();
        var merged = Store.MergePublishedRevocations(index, Certificate, Warning);
        if (!ReferenceEquals(merged, index))
        {
            Store.WriteIndex(merged);
        }

        return merged;
    }

    private bool PublishedCrlLists(string serial) =>
        File.Exists(Store.CrlPath) && RevocationList.Load(File.ReadAllBytes(Store.CrlPath), Certificate).IsRevoked(serial);

    /// <summary>Writes crl.pem listing every revocation of <paramref name="index"/> (already merged with the published CRL).</summary>
    private RevocationList WriteCrlLocked(PkiIndex index)
    {
        var number = index.CrlNumber + 1;

        // The number is recorded before the CRL is written, so a crash in between can never reuse it.
        Store.WriteIndex(index with { CrlNumber = number });
        var der = CrlWriter.Build(_signer, index.AllRevocations(), number, SignatureHash);
        AtomicFile.WriteText(Store.CrlPath, PemEncoding.WriteString("X509 CRL", der) + "\n", AtomicFile.Public);
        return RevocationList.Load(der, Certificate);
    }
}
