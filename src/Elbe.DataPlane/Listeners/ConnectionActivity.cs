namespace Elbe.DataPlane.Listeners;

/// <summary>
/// Per client connection: when it opened (client_keep_alive.seconds) and whether the application is handling a
/// request on it right now, which tells a response Kestrel wrote on its own (a rejection) from one of ours.
/// </summary>
public sealed class ConnectionActivity
{
    public static readonly object ItemsKey = new();

    private volatile bool _inRequest;
    private int _requests;

    public long OpenedAtTicks { get; } = Environment.TickCount64;

    /// <summary>True from the moment a request reaches the handler until its response has been fully written.</summary>
    public bool InRequest => _inRequest;

    public void RequestStarted() => _inRequest = true;

    /// <summary>Counts a request on the connection (HTTP/2 streams run concurrently) and returns the count so far.</summary>
    public int CountRequest() => Interlocked.Increment(ref _requests);

    public static Task RequestCompleted(object state)
    {
        ((ConnectionActivity)state)._inRequest = false;
        return Task.CompletedTask;
    }
}
