namespace Elbe.DataPlane.Listeners;

/// <summary>
/// Per client connection, across all of Kestrel's attachments to it: when it opened (client_keep_alive.seconds)
/// and whether the application is handling a request on it right now, which tells a response Kestrel wrote on its
/// own (a rejection) from one of ours, and whether the connection sits between requests.
/// </summary>
public sealed class ConnectionActivity
{
    private volatile bool _inRequest;
    private volatile bool _lastRequestHadBody;
    private volatile bool _requestArriving;
    private int _requests;

    public long OpenedAtTicks { get; } = Environment.TickCount64;

    /// <summary>True from the moment a request reaches the handler until its response has been fully written.</summary>
    public bool InRequest => _inRequest;

    /// <summary>
    /// No request in the application, none partly received (Kestrel consumes header lines as it parses them, so
    /// an empty input buffer does not tell), and Kestrel is not draining a request body it may still be reading
    /// after the response (only known for requests that had none: such a connection waits for its next bodyless request).
    /// </summary>
    public bool BetweenRequests => !_inRequest && !_requestArriving && !_lastRequestHadBody;

    /// <summary>Bytes reached Kestrel since the last response completed: a request is on its way in.</summary>
    public void BytesArrived()
    {
        if (!_requestArriving) _requestArriving = true;
    }

    public void RequestStarted(bool canHaveBody)
    {
        _lastRequestHadBody = canHaveBody;
        _inRequest = true;
    }

    /// <summary>Counts a request on the connection (HTTP/2 streams run concurrently) and returns the count so far.</summary>
    public int CountRequest() => Interlocked.Increment(ref _requests);

    public static Task RequestCompleted(object state)
    {
        var activity = (ConnectionActivity)state;
        activity._requestArriving = false;
        activity._inRequest = false;
        return Task.CompletedTask;
    }
}
