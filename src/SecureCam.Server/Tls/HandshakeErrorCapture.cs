using System.Net.Sockets;

namespace SecureCam.Server.Tls;

/// <summary>
/// Catches why Kestrel's HTTPS layer failed a handshake. Kestrel keeps that only in a Debug log line
/// (and disposes the SslStream that held it), yet the audit line of a refused client needs the reason.
/// The connection wrapper in <see cref="TlsConnectionSetup"/> opens a slot for its connection
/// (an AsyncLocal, so it is seen only on that connection's own async flow); this provider fills it.
/// </summary>
internal sealed class HandshakeErrorCapture : ILoggerProvider
{
    /// <summary>The Kestrel category that reports failed handshakes.</summary>
    public const string Category = "Microsoft.AspNetCore.Server.Kestrel.Https.Internal.HttpsConnectionMiddleware";

    private static readonly AsyncLocal<HandshakeFailure?> Slot = new();

    /// <summary>Opens the slot for the current connection; read it after the handshake.</summary>
    public static HandshakeFailure Open()
    {
        var failure = new HandshakeFailure();
        Slot.Value = failure;
        return failure;
    }

    public ILogger CreateLogger(string categoryName) =>
        categoryName == Category ? new CaptureLogger() : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class CaptureLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => Slot.Value is not null;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // Only the two failure events: the same category also reports successful handshakes.
            if (Slot.Value is { Reason: null } failure && eventId.Name is "AuthenticationFailed" or "AuthenticationTimedOut")
            {
                var cause = exception?.GetBaseException();
                failure.Reason = cause?.Message ?? formatter(state, exception);

                // EOF or a reset while the handshake was under way: the client left (a browser's
                // speculative connection, or one that gave up) rather than being refused.
                failure.ClientLeft = cause is IOException or SocketException;
            }
        }
    }
}
