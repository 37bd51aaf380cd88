using System.Text;

namespace Elbe.Routing.Stickiness;

/// <summary>
/// AWSALB / AWSALBCORS values for duration-based stickiness (stickiness.type = lb_cookie): the target
/// endpoint, the target group id (the cookie name is shared by every target group, so a value from another
/// group must not match) and the issue time.
/// </summary>
/// <remarks>
/// To keep a session's duration counting from its start, re-encode with the decoded
/// <see cref="StickyTarget.IssuedAt"/> rather than the current time when refreshing the cookie.
/// </remarks>
public sealed class LbCookieCodec(StickinessCookieCipher cipher)
{
    private static ReadOnlySpan<byte> Purpose => "AWSALB"u8;

    public string Encode(string targetGroupId, string endpoint, DateTimeOffset issuedAt)
    {
        int size = CookiePayloadWriter.HeaderSize + CookiePayloadWriter.SizeOf(targetGroupId) + CookiePayloadWriter.SizeOf(endpoint);
        var writer = new CookiePayloadWriter(size <= 1024 ? stackalloc byte[size] : new byte[size]);
        writer.WriteHeader(issuedAt);
        writer.WriteString(targetGroupId);
        writer.WriteString(endpoint);
        return cipher.Seal(writer.Written, Purpose);
    }

    /// <summary>False when the value is undecodable, tampered with, or older than <paramref name="duration"/>.</summary>
    public bool TryDecode(ReadOnlySpan<char> value, DateTimeOffset now, TimeSpan duration, out StickyTarget sticky)
    {
        sticky = default;
        int max = StickinessCookieCipher.MaxPlaintextLength(value.Length);
        Span<byte> plaintext = max <= 1024 ? stackalloc byte[max] : new byte[max];
        if (!cipher.TryOpen(value, Purpose, plaintext, out int written)) return false;

        var reader = new CookiePayloadReader(plaintext[..written]);
        if (!reader.TryReadHeader(out var issuedAt) || !StickinessDuration.IsLive(issuedAt, now, duration)) return false;
        if (!reader.TryReadString(out var targetGroupId) || !reader.TryReadString(out var endpoint) || !reader.AtEnd) return false;
        sticky = new StickyTarget(targetGroupId, endpoint, issuedAt);
        return true;
    }

    /// <summary>
    /// <see cref="TryDecode"/> for the request path, without strings: true when the value is live and names
    /// <paramref name="targetGroupId"/>; the target's "address:port" is decoded into <paramref name="endpoint"/>
    /// (false when it does not fit, which no routable target's endpoint fails to).
    /// </summary>
    public bool TryDecodeFor(ReadOnlySpan<char> value, string targetGroupId, DateTimeOffset now, TimeSpan duration,
        Span<char> endpoint, out int endpointLength, out DateTimeOffset issuedAt)
    {
        endpointLength = 0;
        issuedAt = default;
        int max = StickinessCookieCipher.MaxPlaintextLength(value.Length);
        Span<byte> plaintext = max <= 1024 ? stackalloc byte[max] : new byte[max];
        if (!cipher.TryOpen(value, Purpose, plaintext, out int written)) return false;

        var reader = new CookiePayloadReader(plaintext[..written]);
        if (!reader.TryReadHeader(out var issued) || !StickinessDuration.IsLive(issued, now, duration)) return false;
        if (!reader.TryReadUtf8(out var group) || !reader.TryReadUtf8(out var target) || !reader.AtEnd) return false;
        // Decoded as TryDecode decodes them, so both accept exactly the same cookies.
        Span<char> groupChars = group.Length <= 512 ? stackalloc char[group.Length] : new char[group.Length];
        if (!groupChars[..Encoding.UTF8.GetChars(group, groupChars)].SequenceEqual(targetGroupId)) return false;
        if (!Encoding.UTF8.TryGetChars(target, endpoint, out endpointLength)) return false;
        issuedAt = issued;
        return true;
    }
}
