namespace Elbe.DataPlane.Forwarding;

/// <summary>X-Amzn-Trace-Id handling (section 1.6): Root added when absent, Self set when a Root came in.</summary>
public static class TraceId
{
    private const int MaxIncomingLength = 7 * 1024;

    private const int IdLength = 35;

    /// <summary>
    /// "1-" + 8 hex epoch seconds + "-" + 24 hex random. The id only has to be unique, not unguessable, so a
    /// fast non-cryptographic source does; it runs on every request.
    /// </summary>
    public static string NewId() => NewField("");

    /// <summary>
    /// <paramref name="prefix"/> followed by a new id, built as one string: the header value of a request without
    /// a trace id is exactly "Root=" + id, and this runs on every such request.
    /// </summary>
    private static string NewField(string prefix)
    {
        var seconds = (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var high = (ulong)Random.Shared.NextInt64();
        var low = (uint)Random.Shared.Next();
        return string.Create(prefix.Length + IdLength, (prefix, seconds, high, low), static (span, state) =>
        {
            state.prefix.AsSpan().CopyTo(span);
            var id = span[state.prefix.Length..];
            id[0] = '1';
            id[1] = '-';
            state.seconds.TryFormat(id[2..10], out _, "x8");
            id[10] = '-';
            state.high.TryFormat(id[11..27], out _, "x16");
            state.low.TryFormat(id[27..35], out _, "x8");
        });
    }

    /// <summary>The header value to send to the target, given what the client sent (null when absent).</summary>
    public static string Next(string? incoming)
    {
        if (string.IsNullOrEmpty(incoming) || incoming.Length > MaxIncomingLength)
            return NewField("Root=");

        var self = NewField("Self=");
        // An incoming Self is replaced in place; any other field (Root, custom) is kept as sent.
        var fields = incoming.Split(';');
        var hasRoot = false;
        for (var i = 0; i < fields.Length; i++)
        {
            var field = fields[i].Trim();
            if (field.StartsWith("Self=", StringComparison.Ordinal))
            {
                fields[i] = self;
                return string.Join(';', fields);
            }
            if (field.StartsWith("Root=", StringComparison.Ordinal)) hasRoot = true;
        }
        return hasRoot ? self + ";" + incoming : NewField("Root=") + ";" + incoming;
    }
}
