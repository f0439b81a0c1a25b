using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using SecureCam.Pki;
using SecureCam.Server.Audit;
using SecureCam.Server.Configuration;
using SecureCam.Server.Tls;

namespace SecureCam.Server.Http;

/// <summary>
/// Who may hold how many connections, so that no single identity can take the box. Before TLS: at most
/// <see cref="ServerSettings.MaxConnectionsPerAddress"/> per source address, and at most
/// <see cref="ServerSettings.MaxPendingHandshakes"/> connections that have not finished their handshake.
/// After the handshake, when the certificate is known: at most
/// <see cref="ServerSettings.MaxConnectionsPerCertificate"/> per certificate, and non-admin certificates
/// share what is left of <see cref="ServerSettings.MaxConnections"/> once the handshake budget and
/// <see cref="ServerSettings.AdminReserve"/> are set aside, so an admin always finds room. The plain-HTTP
/// listener has its own small budget. A refused connection is closed; its audit line is written at most
/// once per reason every <see cref="LogInterval"/>.
/// </summary>
internal sealed partial class ConnectionLimiter(ServerSettings settings, AuditLog audit, TimeProvider time, ILogger<ConnectionLimiter> logger) : ITlsListenerHook
{
    /// <summary>A flood of refusals must not become a flood of log lines.</summary>
    public static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private readonly Dictionary<string, int> _perCertificate = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastLogged = new(StringComparer.Ordinal);
    private int _pending;
    private int _nonAdmin;
    private int _plain;
    private long _suppressed;

    /// <summary>Connections from non-admin certificates: the total less the handshake budget and the admin reserve.</summary>
    public int NonAdminLimit => settings.MaxConnections - settings.MaxPendingHandshakes - settings.AdminReserve;

    /// <summary>Connections still in their TLS handshake now.</summary>
    internal int PendingHandshakes
    {
        get
        {
            lock (_gate)
            {
                return _pending;
            }
        }
    }

    /// <summary>Connections the plain-HTTP listener holds now.</summary>
    internal int PlainConnections
    {
        get
        {
            lock (_gate)
            {
                return _plain;
            }
        }
    }

    /// <summary>Connections from <paramref name="address"/> the limiter holds now.</summary>
    internal int ConnectionsFrom(IPAddress address)
    {
        lock (_gate)
        {
            return CountOf(_perAddress, address);
        }
    }

    public void BeforeHandshake(ListenOptions listen) => listen.Use(next => connection => AdmitTlsAsync(next, connection));

    public void AfterHandshake(ListenOptions listen) => listen.Use(next => connection => AdmitCertificateAsync(next, connection));

    /// <summary>Middleware for the plain-HTTP listener: per address, and its own budget.</summary>
    public void ApplyPlain(ListenOptions listen) => listen.Use(next => connection => AdmitPlainAsync(next, connection));

    private async Task AdmitTlsAsync(ConnectionDelegate next, ConnectionContext connection)
    {
        var address = AddressOf(connection);
        string? refusal;
        lock (_gate)
        {
            refusal = CountOf(_perAddress, address) >= settings.MaxConnectionsPerAddress ? $"more than {settings.MaxConnectionsPerAddress} connections from one address"
                : _pending >= settings.MaxPendingHandshakes ? $"more than {settings.MaxPendingHandshakes} handshakes under way"
                : null;
            if (refusal is null)
            {
                Increment(_perAddress, address);
                _pending++;
            }
        }

        if (refusal is not null)
        {
            Refuse(connection, null, refusal);
            return;
        }

        var state = new Admission();
        connection.Features.Set(state);
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                Decrement(_perAddress, address);
                if (state.Certificate is null)
                {
                    _pending--;
                }
                else if (state.Counted)
                {
                    Decrement(_perCertificate, state.Certificate);
                    if (!state.Admin)
                    {
                        _nonAdmin--;
                    }
                }
            }
        }
    }

    private Task AdmitCertificateAsync(ConnectionDelegate next, ConnectionContext connection)
    {
        if (connection.Features.Get<Admission>() is not { } state)
        {
            return next(connection);
        }

        var certificate = connection.Features.Get<Microsoft.AspNetCore.Http.Features.ITlsConnectionFeature>()?.ClientCertificate;
        if (certificate is null)
        {
            // No client certificate (an ACME validation): it closes right after; it stays a pending handshake.
            return next(connection);
        }

        var thumbprint = ClientConnectionFeature.CertificateSha256(connection.Features, certificate);

        // The handshake's validation has read the role from this very certificate; parsing its subject again would cost every connection.
        var role = connection.Features.Get<ClientConnectionFeature>()?.AcceptedRole ?? CertificateProfiles.ReadRole(certificate);
        var admin = role == ClientRole.Admin;
        string? refusal;
        lock (_gate)
        {
            _pending--;
            state.Certificate = thumbprint;
            state.Admin = admin;
            refusal = CountOf(_perCertificate, thumbprint) >= settings.MaxConnectionsPerCertificate ? $"more than {settings.MaxConnectionsPerCertificate} connections with one certificate"
                : !admin && _nonAdmin >= NonAdminLimit ? $"all {NonAdminLimit} connections for non-admin certificates in use (the rest is kept for admins)"
                : null;
            if (refusal is null)
            {
                Increment(_perCertificate, thumbprint);
                state.Counted = true;
                if (!admin)
                {
                    _nonAdmin++;
                }
            }
        }

        if (refusal is not null)
        {
            Refuse(connection, certificate, refusal);
            return Task.CompletedTask;
        }

        return next(connection);
    }

    private async Task AdmitPlainAsync(ConnectionDelegate next, ConnectionContext connection)
    {
        var address = AddressOf(connection);
        string? refusal;
        lock (_gate)
        {
            refusal = CountOf(_perAddress, address) >= settings.MaxConnectionsPerAddress ? $"more than {settings.MaxConnectionsPerAddress} connections from one address"
                : _plain >= settings.HttpMaxConnections ? $"all {settings.HttpMaxConnections} plain-HTTP connections in use"
                : null;
            if (refusal is null)
            {
                Increment(_perAddress, address);
                _plain++;
            }
        }

        if (refusal is not null)
        {
            Refuse(connection, null, refusal);
            return;
        }

        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                Decrement(_perAddress, address);
                _plain--;
            }
        }
    }

    private void Refuse(ConnectionContext connection, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate, string reason)
    {
        var now = time.GetTimestamp();
        bool log;
        long suppressed = 0;
        lock (_gate)
        {
            log = !_lastLogged.TryGetValue(reason, out var last) || time.GetElapsedTime(last, now) >= LogInterval;
            if (log)
            {
                _lastLogged[reason] = now;
                suppressed = _suppressed;
                _suppressed = 0;
            }
            else
            {
                _suppressed++;
            }
        }

        if (log)
        {
            audit.ClientRejected("connection", RemoteAddress.Of(connection.RemoteEndPoint), certificate, reason);
            if (suppressed > 0)
            {
                LogSuppressed(logger, suppressed, LogInterval.TotalSeconds);
            }
        }

        connection.Abort(new ConnectionAbortedException(reason));
    }

    private static IPAddress AddressOf(ConnectionContext connection)
    {
        var address = (connection.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    private static int CountOf<TKey>(Dictionary<TKey, int> counts, TKey key)
        where TKey : notnull => counts.TryGetValue(key, out var count) ? count : 0;

    private static void Increment<TKey>(Dictionary<TKey, int> counts, TKey key)
        where TKey : notnull => counts[key] = CountOf(counts, key) + 1;

    private static void Decrement<TKey>(Dictionary<TKey, int> counts, TKey key)
        where TKey : notnull
    {
        var count = CountOf(counts, key) - 1;
        if (count <= 0)
        {
            counts.Remove(key);
        }
        else
        {
            counts[key] = count;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} more connection(s) refused in the last {Seconds:0} s (not logged one by one)")]
    private static partial void LogSuppressed(ILogger logger, long count, double seconds);

    /// <summary>What one TLS connection was counted as (a feature of the connection, private to the limiter).</summary>
    private sealed class Admission
    {
        public string? Certificate { get; set; }

        public bool Admin { get; set; }

        public bool Counted { get; set; }
    }
}
