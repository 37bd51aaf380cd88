namespace Elbe.Routing.Stickiness;

/// <summary>
/// AWSALBAPP-n values for application-based stickiness (stickiness.type = app_cookie): the application
/// cookie name, target group id, target endpoint and issue time. The duration is re-armed on every
/// response, so encode with the current time.
/// </summary>
/// <remarks>
/// ALB shards the value into cookies of at most 4 KB (AWSALBAPP-0 … -3). With realistic names one shard is
/// enough; <see cref="ShardCount"/> and <see cref="Shard"/> cover the rest without copying. To decode, pass
/// the shard values concatenated in order.
/// </remarks>
public sealed class AppCookieCodec(StickinessCookieCipher cipher)
{
    /// <summary>Characters of value per shard, leaving room for "AWSALBAPP-n=" and the attributes within 4 KB.</summary>
    public const int ShardLength = 4000;

    private static ReadOnlySpan<byte> Purpose => "AWSALBAPP"u8;

    public string Encode(string appCookieName, string targetGroupId, string endpoint, DateTimeOffset issuedAt)
    {
        int size = CookiePayloadWriter.HeaderSize + CookiePayloadWriter.SizeOf(appCookieName)
            + CookiePayloadWriter.SizeOf(targetGroupId) + CookiePayloadWriter.SizeOf(endpoint);
        var writer = new CookiePayloadWriter(size <= 1024 ? stackalloc byte[size] : new byte[size]);
        writer.WriteHeader(issuedAt);
        writer.WriteString(appCookieName);
        writer.WriteString(targetGroupId);
        writer.WriteString(endpoint);
        var value = cipher.Seal(writer.Written, Purpose);
        if (ShardCount(value) > StickinessCookieNames.AppShards.Count)
            throw new ArgumentException("The application cookie name is too long for a 16 KB stickiness cookie.", nameof(appCookieName));
        return value;
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
        if (!reader.TryReadString(out var appCookieName) || !reader.TryReadString(out var targetGroupId)
            || !reader.TryReadString(out var endpoint) || !reader.AtEnd) return false;
        sticky = new StickyTarget(targetGroupId, endpoint, issuedAt, appCookieName);
        return true;
    }

    public static int ShardCount(string value) => Math.Max(1, (value.Length + ShardLength - 1) / ShardLength);

    /// <summary>The part of <paramref name="value"/> that goes into AWSALBAPP-<paramref name="index"/>.</summary>
    public static ReadOnlySpan<char> Shard(string value, int index)
    {
        int start = index * ShardLength;
        return value.AsSpan(start, Math.Min(ShardLength, value.Length - start));
    }
}
