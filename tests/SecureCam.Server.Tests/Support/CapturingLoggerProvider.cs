using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SecureCam.Server.Tests.Support;

/// <summary>Keeps every log line of the server under test so tests can look for audit lines.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public IEnumerable<string> Audit => _lines.Where(l => l.StartsWith("SecureCam.Audit ", StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        // The host's filters decide (Information, and Debug where a test asks for it); Trace never.
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Enqueue($"{category} {logLevel}: {formatter(state, exception)}");
            }
        }
    }
}
