namespace Elbe.DataPlane.Forwarding;

/// <summary>X-Amzn-Trace-Id handling (section 1.6): Root added when absent, Self set when a Root came in.</summary>
public static class TraceId
{
    private const int MaxIncomingLength = 7 * 1024;

    /// <summary>
    /// "1-" + 8 hex epoch seconds + "-" + 24 hex random. The id only has to be unique, not unguessable, so a
    /// fast non-cryptographic source does; it runs on every request.
    /// </summary>
    public static string NewId()
    {
        var seconds = (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var high = (ulong)Random.Shared.NextInt64();
        var low = (uint)Random.Shared.Next();
        return string.Create(35, (seconds, high, low), static (span, state) =>
        {
            span[0] = '1';
            span[1] = '-';
            state.seconds.TryFormat(span[2..10], out _, "x8");
            span[10] = '-';
            state.high.TryFormat(span[11..27], out _, "x16");
            state.low.TryFormat(span[27..35], out _, "x8");
        });
    }

    /// <summary>The header value to send to the target, given what the client sent (null when absent).</summary>
    public static string Next(string? incoming)
    {
        if (string.IsNullOrEmpty(incoming) || incoming.Length > MaxIncomingLength)
            return "Root=" + NewId();

        var self = "Self=" + NewId();
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
        return hasRoot ? self + ";" + incoming : "Root=" + NewId() + ";" + incoming;
    }
}
