namespace Elbe.DataPlane.Forwarding.Http1;

/// <summary>
/// ALB's rewrite of one request, collected before the head is written: each name it set or removed, with its new
/// value (null when removed). The client's headers under those names are skipped and the new values written after
/// them. One instance per target connection, cleared for each request.
/// </summary>
public sealed class RequestHeaderEdits : IRequestHeaderEditor
{
    private string[] _names = new string[12];
    private string?[] _values = new string?[12];

    public int Count { get; private set; }

    public string Name(int index) => _names[index];

    /// <summary>Null when the header is removed.</summary>
    public string? Value(int index) => _values[index];

    public void Clear()
    {
        Array.Clear(_values, 0, Count);
        Count = 0;
    }

    public void Remove(string name) => Record(name, null);

    public void Set(string name, string value) => Record(name, value);

    /// <summary>Whether the rewrite decides this header, so the client's own values of it are not written.</summary>
    public bool Covers(string name)
    {
        for (var i = 0; i < Count; i++)
            if (string.Equals(_names[i], name, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    private void Record(string name, string? value)
    {
        // The last word on a name wins, as it would on a header collection.
        for (var i = 0; i < Count; i++)
        {
            if (!string.Equals(_names[i], name, StringComparison.OrdinalIgnoreCase)) continue;
            _values[i] = value;
            return;
        }
        if (Count == _names.Length)
        {
            Array.Resize(ref _names, Count * 2);
            Array.Resize(ref _values, Count * 2);
        }
        _names[Count] = name;
        _values[Count] = value;
        Count++;
    }
}
