namespace Elbe.Routing.Stickiness;

/// <summary>
/// AWSALBTG / AWSALBTGCORS values for target group stickiness on a weighted forward: the chosen target
/// group's id (ARN) and the issue time, checked against TargetGroupStickinessConfig.DurationSeconds.
/// </summary>
public sealed class TargetGroupCookieCodec(StickinessCookieCipher cipher)
{
    private static ReadOnlySpan<byte> Purpose => "AWSALBTG"u8;

    public string Encode(string targetGroupId, DateTimeOffset issuedAt)
    {
        int size = CookiePayloadWriter.HeaderSize + CookiePayloadWriter.SizeOf(targetGroupId);
        var writer = new CookiePayloadWriter(size <= 1024 ? stackalloc byte[size] : new byte[size]);
        writer.WriteHeader(issuedAt);
        writer.WriteString(targetGroupId);
        return cipher.Seal(writer.Written, Purpose);
    }

    /// <summary>False when the value is undecodable, tampered with, or older than <paramref name="duration"/>
    /// (ALB's error reason for an invalid cookie is AWSALBTGCookieInvalid).</summary>
    public bool TryDecode(ReadOnlySpan<char> value, DateTimeOffset now, TimeSpan duration, out string targetGroupId, out DateTimeOffset issuedAt)
    {
        targetGroupId = "";
        int max = StickinessCookieCipher.MaxPlaintextLength(value.Length);
        Span<byte> plaintext = max <= 1024 ? stackalloc byte[max] : new byte[max];
        issuedAt = default;
        if (!cipher.TryOpen(value, Purpose, plaintext, out int written)) return false;

        var reader = new CookiePayloadReader(plaintext[..written]);
        if (!reader.TryReadHeader(out issuedAt) || !StickinessDuration.IsLive(issuedAt, now, duration)) return false;
        if (!reader.TryReadString(out var id) || !reader.AtEnd) return false;
        targetGroupId = id;
        return true;
    }
}
