using SecureCam.Pki;
using SecureCam.Server.Audit;

namespace SecureCam.Server.Enrollment;

/// <summary>Audit lines of enrollment (ticket seen, page opened, identity taken, ticket over, refusals), in the audit category.</summary>
internal sealed partial class EnrollmentAudit(ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger(AuditLog.Category);

    public void TicketMade(EnrollmentTicket ticket) =>
        LogTicketMade(_logger, ticket.Name, ticket.Serial, ticket.ExpiresAt);

    public void PageOpened(EnrollmentTicket ticket, string remote, DevicePlatform platform) =>
        LogPageOpened(_logger, ticket.Name, ticket.Serial, remote, platform.ToString().ToLowerInvariant());

    public void IdentityTaken(EnrollmentTicket ticket, string remote, string form) =>
        LogIdentityTaken(_logger, ticket.Name, ticket.Serial, remote, form);

    public void TicketOver(EnrollmentTicket ticket, EnrollmentTicketState state) =>
        LogTicketOver(_logger, ticket.Name, ticket.Serial, state switch
        {
            EnrollmentTicketState.Expired => "expired unused; key deleted",
            EnrollmentTicketState.Withdrawn => "withdrawn (revoked, renewed or key forgotten)",
            _ => "used; link forgotten",
        });

    public void Refused(string remote, string path, string reason) =>
        LogRefused(_logger, remote, AuditText.Clean(path), reason);

    public void ListenerOpened(string url) => LogListener(_logger, "open", url);

    public void ListenerClosed(string url) => LogListener(_logger, "closed", url);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "enroll-ticket name=\"{Name}\" serial={Serial} expires={Expires:u}")]
    private static partial void LogTicketMade(ILogger logger, string name, string serial, DateTimeOffset expires);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "enroll-page name=\"{Name}\" serial={Serial} remote={Remote} platform={Platform}")]
    private static partial void LogPageOpened(ILogger logger, string name, string serial, string remote, string platform);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "enroll-taken name=\"{Name}\" serial={Serial} remote={Remote} form={Form}")]
    private static partial void LogIdentityTaken(ILogger logger, string name, string serial, string remote, string form);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Information, Message = "enroll-ticket-over name=\"{Name}\" serial={Serial} reason=\"{Reason}\"")]
    private static partial void LogTicketOver(ILogger logger, string name, string serial, string reason);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "enroll-refused remote={Remote} path=\"{Path}\" reason=\"{Reason}\"")]
    private static partial void LogRefused(ILogger logger, string remote, string path, string reason);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Information, Message = "enroll-listener {State} {Url}")]
    private static partial void LogListener(ILogger logger, string state, string url);
}
