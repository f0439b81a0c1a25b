using System.Net.Sockets;

namespace SecureCam.Server.Tls;

/// <summary>
/// Catches why Kestrel's HTTPS layer failed a handshake. Kestrel keeps that only in a Debug log line
/// (and disposes the SslStream that held it), yet the audit line of a refused client needs the reason.
/// The audit wrapper of <see cref="TlsConnectionSetup"/> opens a log scope holding the connection's
/// <see cref="ClientConnectionFeature"/> around the HTTPS layer (<see cref="Open"/>); Kestrel's failure line
/// is logged inside that scope, and this provider, which sees the scopes, writes the reason into that feature.
/// </summary>
internal sealed class HandshakeErrorCapture : ILoggerProvider, ISupportExternalScope
{
    /// <summary>The Kestrel category that reports failed handshakes.</summary>
    public const string Category = "Microsoft.AspNetCore.Server.Kestrel.Https.Internal.HttpsConnectionMiddleware";

    /// <summary>Kestrel's two failure events in that category (it also reports successful handshakes there).</summary>
    public static IReadOnlyList<string> FailureEvents { get; } = ["AuthenticationFailed", "AuthenticationTimedOut"];

    private IExternalScopeProvider? _scopes;

    /// <summary>Opens the scope in which Kestrel's handshake of <paramref name="connection"/> runs; dispose it once the connection is over.</summary>
    public static IDisposable? Open(ILogger logger, ClientConnectionFeature connection) => logger.BeginScope(new Scope(connection));

    public ILogger CreateLogger(string categoryName) =>
        categoryName == Category ? new CaptureLogger(this) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    /// <summary>The innermost connection whose scope the current log call runs in, if any.</summary>
    private ClientConnectionFeature? Current()
    {
        ClientConnectionFeature? found = null;
        _scopes?.ForEachScope((state, _) => found = state is Scope scope ? scope.Connection : found, (object?)null);
        return found;
    }

    private sealed class CaptureLogger(HandshakeErrorCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name is not { } name || !FailureEvents.Contains(name) || capture.Current() is not { HandshakeFailure: null } connection)
            {
                return;
            }

            var cause = exception?.GetBaseException();
            connection.HandshakeFailure = cause?.Message ?? formatter(state, exception);

            // EOF or a reset while the handshake was under way: the client left (a browser's
            // speculative connection, or one that gave up) rather than being refused.
            connection.ClientLeft = cause is IOException or SocketException;
        }
    }

    /// <summary>The scope's state: says what it is if a console logger prints scopes.</summary>
    private sealed class Scope(ClientConnectionFeature connection)
    {
        public ClientConnectionFeature Connection { get; } = connection;

        public override string ToString() => "TLS connection";
    }
}
