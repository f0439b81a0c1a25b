using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

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

    private static readonly AsyncLocal<StrongBox<string?>?> Slot = new();

    /// <summary>Opens the slot for the current connection; read it after the handshake with <see cref="StrongBox{T}.Value"/>.</summary>
    public static StrongBox<string?> Open()
    {
        var box = new StrongBox<string?>();
        Slot.Value = box;
        return box;
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
            if (Slot.Value is { Value: null } box)
            {
                box.Value = exception?.GetBaseException().Message ?? formatter(state, exception);
            }
        }
    }
}
