using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Elbe.DataPlane.Listeners;

/// <summary>
/// Kestrel says why it rejected a request only in its "bad request" log event. This logger catches that event
/// per connection so the rejection can be answered with ALB's status (501 for a Transfer-Encoding ALB does not
/// support, where Kestrel would say 400).
/// </summary>
public sealed class KestrelRejectionReasons : ILoggerProvider, ILogger
{
    private const string BadRequestCategory = "Microsoft.AspNetCore.Server.Kestrel.BadRequests";
    private readonly ConcurrentDictionary<string, string> _byConnection = new(StringComparer.Ordinal);

    /// <summary>The reason Kestrel gave for rejecting a request on this connection, forgotten once read.</summary>
    public string? Take(string connectionId) => _byConnection.TryRemove(connectionId, out var reason) ? reason : null;

    public ILogger CreateLogger(string categoryName) => categoryName == BadRequestCategory ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> fields) return;
        foreach (var (key, value) in fields)
        {
            if (key == "ConnectionId" && value is string connectionId)
            {
                _byConnection[connectionId] = exception?.Message ?? formatter(state, exception);
                return;
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public void Dispose() => _byConnection.Clear();
}
