namespace Elbe.Routing.Http1;

/// <summary>How the body of a target's response is delimited (RFC 9112 section 6.3).</summary>
public enum Http1BodyFraming
{
    /// <summary>No body: a HEAD request, 1xx, 204, 304.</summary>
    None,
    ContentLength,
    Chunked,
    /// <summary>The body runs until the target closes the connection, which then cannot be reused.</summary>
    CloseDelimited,
}

/// <summary>
/// The status line and header section of one target response, as <see cref="Http1ResponseParser"/> read them.
/// One instance per target connection, reset for each response, so a response head costs its strings and nothing else.
/// </summary>
public sealed class Http1ResponseHead
{
    private List<KeyValuePair<string, string>> _headers = new(16);
    // The previous response's headers: a target answers much the same each time, so equal names and values are taken from here instead of allocated again.
    private List<KeyValuePair<string, string>> _previous = new(16);

    public int StatusCode { get; internal set; }
    /// <summary>1 for HTTP/1.1, 0 for HTTP/1.0.</summary>
    public int MinorVersion { get; internal set; }
    public Http1BodyFraming Framing { get; internal set; }
    /// <summary>The Content-Length the target declared, or -1.</summary>
    public long ContentLength { get; internal set; } = -1;
    /// <summary>Whether the target allows another request on this connection once this response is done.</summary>
    public bool KeepAlive { get; internal set; }
    /// <summary>End-to-end headers in the order received; framing and hop-by-hop ones (Connection, Transfer-Encoding, Content-Length...) are left out.</summary>
    public List<KeyValuePair<string, string>> Headers => _headers;
    internal List<KeyValuePair<string, string>> PreviousHeaders => _previous;
    public bool IsInterim => StatusCode is >= 100 and < 200;

    public void Reset()
    {
        StatusCode = 0;
        MinorVersion = 1;
        Framing = Http1BodyFraming.None;
        ContentLength = -1;
        KeepAlive = false;
        (_headers, _previous) = (_previous, _headers);
        _headers.Clear();
    }
}
