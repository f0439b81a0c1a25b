using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SecureCam.Pki;

/// <summary>
/// The one-time enrollment links of a store (DIR/enroll/HASH.json, one file per ticket, mode 0600).
/// `securecam-pki enroll` writes them; the running server reads them, hands out each identity once
/// (<see cref="TakeAsync"/>) and removes what has expired (<see cref="SweepAsync"/>). Every change
/// holds the store's lock and re-reads the ticket under it, so two phones racing for one link cannot
/// both get it. Times come from the caller, so tests can use a fake clock.
/// </summary>
public sealed class EnrollmentTickets(PkiStore store)
{
    /// <summary>128 bits from the OS CSPRNG: unguessable, and short enough (22 characters) for a small QR code.</summary>
    public const int TokenBytes = 16;

    /// <summary>Long enough to walk to the phone and through two Settings screens; short enough that a photo of the code is soon useless.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(10);

    /// <summary>The longest a link may stay valid (a day: past that, make a new one).</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(1);

    /// <summary>A used ticket is kept this long after its expiry so its URLs keep answering "used" rather than "unknown".</summary>
    public static readonly TimeSpan KeepTaken = TimeSpan.FromDays(1);

    private static readonly int TokenLength = Base64Url.GetEncodedLength(TokenBytes);

    public PkiStore Store { get; } = store;

    /// <summary>A new random token (base64url, no padding).</summary>
    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));

    /// <summary>True when <paramref name="token"/> has the shape <see cref="NewToken"/> makes (checked before it touches a path).</summary>
    public static bool IsWellFormed(string? token) =>
        token is not null && token.Length == TokenLength && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>SHA-256 of the token, lower-case hex: what is stored, and the ticket's file name.</summary>
    public static string Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    /// <summary>
    /// Writes the ticket for a freshly issued client; returns it and, in <paramref name="token"/>, the only
    /// copy of its token (for the link).
    /// </summary>
    public EnrollmentTicket Create(IssuedCertificate issued, TimeSpan lifetime, DateTimeOffset now, out string token)
    {
        ArgumentNullException.ThrowIfNull(issued);
        if (issued.Entry.Kind != CertificateKind.Client || issued.Pkcs12Path is null)
        {
            throw new PkiException($"'{issued.Entry.Name}' is not a client identity with a .p12; only those can be enrolled");
        }

        if (lifetime <= TimeSpan.Zero || lifetime > MaxLifetime)
        {
            throw new PkiException($"--ttl: an enrollment link may last 1 to {(int)MaxLifetime.TotalMinutes} minutes");
        }

        token = NewToken();
        var ticket = new EnrollmentTicket
        {
            Name = issued.Entry.Name,
            Serial = issued.Entry.Serial,
            TokenSha256 = Hash(token),
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
        EnsureDirectory();
        Write(ticket, overwrite: false);
        return ticket;
    }

    /// <summary>The ticket for <paramref name="token"/>, or null when the token is malformed or unknown.</summary>
    public EnrollmentTicket? Find(string? token) =>
        IsWellFormed(token) ? Read(TicketPath(Hash(token!))) : null;

    /// <summary>Every ticket in the store; files that are not readable tickets are skipped.</summary>
    public IReadOnlyList<EnrollmentTicket> ReadAll()
    {
        if (!Directory.Exists(Store.EnrollmentDirectory))
        {
            return [];
        }

        return Directory.EnumerateFiles(Store.EnrollmentDirectory, "*.json")
            .Select(Read)
            .OfType<EnrollmentTicket>()
            .ToList();
    }

    /// <summary>What <paramref name="ticket"/> allows at <paramref name="now"/>, judged against the index.</summary>
    public EnrollmentTicketState StateOf(EnrollmentTicket ticket, PkiIndex index, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(index);
        if (ticket.IsTaken)
        {
            return EnrollmentTicketState.Taken;
        }

        if (now >= ticket.ExpiresAt)
        {
            return EnrollmentTicketState.Expired;
        }

        var entry = index.FindLatest(ticket.Name);
        if (entry is null || entry.IsRevoked || SerialNumbers.Normalize(entry.Serial) != SerialNumbers.Normalize(ticket.Serial)
            || !File.Exists(Store.Pkcs12Path(ticket.Name)))
        {
            return EnrollmentTicketState.Withdrawn;
        }

        return EnrollmentTicketState.Open;
    }

    /// <summary>
    /// Hands out the identity of the ticket for <paramref name="token"/> once: marks the ticket taken,
    /// then deletes the key and .p12 from the box (the certificate stays for list, revoke and renew).
    /// The .p12 bytes are returned only when the ticket was open.
    /// </summary>
    public async Task<EnrollmentTake> TakeAsync(string token, DateTimeOffset now, string? takenBy, CancellationToken cancellationToken = default)
    {
        if (!IsWellFormed(token))
        {
            return new EnrollmentTake(null, null, null);
        }

        using var storeLock = await Store.LockAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var ticket = Read(TicketPath(Hash(token)));
        if (ticket is null)
        {
            return new EnrollmentTake(null, null, null);
        }

        var state = StateOf(ticket, Store.ReadIndex(), now);
        if (state != EnrollmentTicketState.Open)
        {
            return new EnrollmentTake(ticket, state, null);
        }

        var pkcs12 = await File.ReadAllBytesAsync(Store.Pkcs12Path(ticket.Name), cancellationToken).ConfigureAwait(false);

        // Marked used before the key goes: if deleting fails, the link still cannot be used twice.
        var taken = ticket with { TakenAt = now, TakenBy = takenBy };
        Write(taken, overwrite: true);
        ClientKeys.ForgetLocked(Store, ticket.Name);
        return new EnrollmentTake(taken, EnrollmentTicketState.Open, pkcs12);
    }

    /// <summary>
    /// Removes tickets that are over: an unused one past its expiry (its key and .p12 are deleted too when
    /// they still belong to its certificate, e.g. not after a renewal), a used one <see cref="KeepTaken"/>
    /// after its expiry. Returns what was removed and why.
    /// </summary>
    public async Task<IReadOnlyList<(EnrollmentTicket Ticket, EnrollmentTicketState State)>> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(Store.EnrollmentDirectory))
        {
            return [];
        }

        using var storeLock = await Store.LockAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var index = Store.ReadIndex();
        var removed = new List<(EnrollmentTicket, EnrollmentTicketState)>();
        foreach (var ticket in ReadAll())
        {
            var state = StateOf(ticket, index, now);
            if (!IsOver(ticket, state, now))
            {
                continue;
            }

            if (state != EnrollmentTicketState.Taken && index.FindLatest(ticket.Name) is { } entry
                && SerialNumbers.Normalize(entry.Serial) == SerialNumbers.Normalize(ticket.Serial))
            {
                // Nobody took it: its key has no business staying on the box.
                ClientKeys.ForgetLocked(Store, ticket.Name);
            }

            File.Delete(TicketPath(ticket.TokenSha256));
            removed.Add((ticket, state));
        }

        return removed;
    }

    /// <summary>True when <see cref="SweepAsync"/> would remove the ticket.</summary>
    public static bool IsOver(EnrollmentTicket ticket, EnrollmentTicketState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return state switch
        {
            EnrollmentTicketState.Taken => now >= ticket.ExpiresAt + KeepTaken,
            EnrollmentTicketState.Expired => true,

            // Kept (answering "withdrawn") until it expires; then it is swept as expired.
            _ => false,
        };
    }

    private string TicketPath(string hash) => Path.Combine(Store.EnrollmentDirectory, hash + ".json");

    private void Write(EnrollmentTicket ticket, bool overwrite) =>
        AtomicFile.Write(
            TicketPath(ticket.TokenSha256),
            JsonSerializer.SerializeToUtf8Bytes(ticket, EnrollmentJsonContext.Default.EnrollmentTicket),
            AtomicFile.Secret,
            overwrite);

    private static EnrollmentTicket? Read(string path)
    {
        try
        {
            var ticket = JsonSerializer.Deserialize(File.ReadAllBytes(path), EnrollmentJsonContext.Default.EnrollmentTicket);
            return ticket is { Format: EnrollmentTicket.FormatName, Version: 1 }
                && CertificateNames.IsValid(ticket.Name)
                && string.Equals(Path.GetFileNameWithoutExtension(path), ticket.TokenSha256, StringComparison.Ordinal)
                ? ticket
                : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void EnsureDirectory()
    {
        Store.EnsureDirectory();
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Store.EnrollmentDirectory);
        }
        else
        {
            Directory.CreateDirectory(Store.EnrollmentDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}

/// <summary>
/// The result of <see cref="EnrollmentTickets.TakeAsync"/>: no ticket (unknown token), the ticket and why it
/// was refused, or the ticket (now taken) with the .p12 to send.
/// </summary>
public sealed record EnrollmentTake(EnrollmentTicket? Ticket, EnrollmentTicketState? State, byte[]? Pkcs12);
