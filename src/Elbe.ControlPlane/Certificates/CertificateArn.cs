namespace Elbe.ControlPlane.Certificates;

/// <summary>ACM certificate ARNs: <c>arn:aws:acm:REGION:ACCOUNT:certificate/UUID</c>.</summary>
public static class CertificateArn
{
    private const string ResourcePrefix = "certificate/";

    public static string New(string region, string accountId) => $"arn:aws:acm:{region}:{accountId}:{ResourcePrefix}{Guid.NewGuid()}";

    /// <summary>
    /// The UUID part of an ACM certificate ARN, or null when <paramref name="arn"/> is not one. Only letters, digits
    /// and '-' pass, so the id is safe as a file name.
    /// </summary>
    public static string? IdOf(string arn)
    {
        var parts = arn.Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "acm" || !parts[5].StartsWith(ResourcePrefix, StringComparison.Ordinal))
            return null;
        var id = parts[5][ResourcePrefix.Length..];
        if (id.Length is 0 or > 64) return null;
        foreach (var c in id)
            if (!char.IsAsciiLetterOrDigit(c) && c != '-') return null;
        return id;
    }
}
