using System.Security.Cryptography.X509Certificates;
using SecureCam.Server.Authentication;
using SecureCam.Server.Metrics;

namespace SecureCam.Server.Audit;

/// <summary>
/// The audit trail: one structured line per refused client and per stream start and end, under the
/// log category <see cref="Category"/> so it can be routed or filtered on its own, and counted in the same
/// place by <see cref="ServerMetrics"/>. Values that come
/// from the client are cleaned (<see cref="AuditText"/>); secrets are never logged.
/// </summary>
internal sealed partial class AuditLog(ILoggerFactory loggerFactory, ServerMetrics? metrics = null)
{
    public const string Category = "SecureCam.Audit";

    private readonly ILogger _logger = loggerFactory.CreateLogger(Category);

    /// <summary>A client refused at the handshake or, for a certificate revoked or expired mid-connection, at a request.</summary>
    public void ClientRejected(string stage, string? remote, X509Certificate2? certificate, string reason)
    {
        metrics?.ClientRejected(stage, reason);
        LogClientRejected(_logger, stage, remote ?? "-", AuditText.Clean(certificate?.Subject), certificate?.SerialNumber ?? "-", reason);
    }

    /// <summary>A client that left during the handshake (browsers open spare connections): Debug, not a refusal.</summary>
    public void HandshakeAbandoned(string? remote, string reason) => LogHandshakeAbandoned(_logger, remote ?? "-", reason);

    public void StreamRefused(ClientIdentity client, string? remote, string reason)
    {
        metrics?.StreamRefused();
        LogStreamRefused(_logger, AuditText.Clean(client.Name), client.Serial, remote ?? "-", reason);
    }

    public void StreamStarted(ClientIdentity client, string? remote, string protocol)
    {
        metrics?.StreamStarted();
        LogStreamStarted(_logger, AuditText.Clean(client.Name), client.Serial, remote ?? "-", protocol);
    }

    public void StreamEnded(ClientIdentity client, string? remote, long frames, long bytes, TimeSpan duration, string reason)
    {
        metrics?.StreamEnded(client.Serial, reason);
        LogStreamEnded(_logger, AuditText.Clean(client.Name), client.Serial, remote ?? "-", frames, bytes, duration.TotalSeconds, reason);
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning,
        Message = "client-rejected stage={Stage} remote={Remote} subject=\"{Subject}\" serial={Serial} reason=\"{Reason}\"")]
    private static partial void LogClientRejected(ILogger logger, string stage, string remote, string subject, string serial, string reason);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Debug, Message = "handshake-abandoned remote={Remote} reason=\"{Reason}\"")]
    private static partial void LogHandshakeAbandoned(ILogger logger, string remote, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning,
        Message = "stream-refused name=\"{Name}\" serial={Serial} remote={Remote} reason=\"{Reason}\"")]
    private static partial void LogStreamRefused(ILogger logger, string name, string serial, string remote, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information,
        Message = "stream-start name=\"{Name}\" serial={Serial} remote={Remote} protocol={Protocol}")]
    private static partial void LogStreamStarted(ILogger logger, string name, string serial, string remote, string protocol);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information,
        Message = "stream-end name=\"{Name}\" serial={Serial} remote={Remote} frames={Frames} bytes={Bytes} duration={DurationSeconds:0.000}s reason=\"{Reason}\"")]
    private static partial void LogStreamEnded(ILogger logger, string name, string serial, string remote, long frames, long bytes, double durationSeconds, string reason);
}
