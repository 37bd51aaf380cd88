using System.Text;

namespace Elbe.Routing.Http1;

public enum Http1HeaderKind
{
    EndToEnd,
    ContentLength,
    TransferEncoding,
    Connection,
    /// <summary>Meaningful for one connection only (RFC 9110 section 7.6.1): never passed on.</summary>
    HopByHop,
    /// <summary>A name that only differs from Content-Length or Transfer-Encoding by case-folding tricks or punctuation ("Transfer_Encoding").</summary>
    LooksLikeFraming,
}

/// <summary>Sorting response header names, and sharing one string for the common ones so a response head allocates only its values.</summary>
public static class Http1HeaderNames
{
    // Spelled as targets send them: a name is shared only when its bytes match exactly, so the client sees what the target sent.
    private static readonly string[] Common =
    [
        "Date", "Server", "Content-Type", "Cache-Control", "Set-Cookie", "ETag", "Last-Modified", "Expires", "Vary",
        "Location", "Content-Encoding", "Accept-Ranges", "Content-Language", "Content-Range", "Age", "Pragma",
        "X-Content-Type-Options", "X-Frame-Options", "Strict-Transport-Security", "Access-Control-Allow-Origin",
        "Content-Disposition", "WWW-Authenticate", "Retry-After", "Link", "Allow",
        "date", "server", "content-type", "cache-control", "set-cookie", "etag", "last-modified", "expires", "vary", "location",
    ];

    private static readonly byte[][] CommonBytes = Array.ConvertAll(Common, Encoding.ASCII.GetBytes);

    public static string Intern(ReadOnlySpan<byte> name)
    {
        var bytes = CommonBytes;
        for (var i = 0; i < bytes.Length; i++)
            if (bytes[i].Length == name.Length && name.SequenceEqual(bytes[i])) return Common[i];
        return Encoding.ASCII.GetString(name);
    }

    public static Http1HeaderKind Classify(ReadOnlySpan<byte> name)
    {
        switch (name.Length)
        {
            case 2 when Ascii.EqualsIgnoreCase(name, "te"u8):
                return Http1HeaderKind.HopByHop;
            case 7 when Ascii.EqualsIgnoreCase(name, "upgrade"u8) || Ascii.EqualsIgnoreCase(name, "trailer"u8):
                return Http1HeaderKind.HopByHop;
            case 10 when Ascii.EqualsIgnoreCase(name, "connection"u8):
                return Http1HeaderKind.Connection;
            case 10 when Ascii.EqualsIgnoreCase(name, "keep-alive"u8):
                return Http1HeaderKind.HopByHop;
            case 14 when Ascii.EqualsIgnoreCase(name, "content-length"u8):
                return Http1HeaderKind.ContentLength;
            case 16 when Ascii.EqualsIgnoreCase(name, "proxy-connection"u8):
                return Http1HeaderKind.HopByHop;
            case 17 when Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8):
                return Http1HeaderKind.TransferEncoding;
        }
        return name.Length >= 13 && NormalizesToFraming(name) ? Http1HeaderKind.LooksLikeFraming : Http1HeaderKind.EndToEnd;
    }

    /// <summary>Case-folded with everything but letters and digits dropped, as the desync classifier normalises names.</summary>
    private static bool NormalizesToFraming(ReadOnlySpan<byte> name)
    {
        Span<byte> folded = stackalloc byte[16];
        var length = 0;
        foreach (var b in name)
        {
            if (!char.IsAsciiLetterOrDigit((char)b)) continue;
            if (length == folded.Length) return false;
            folded[length++] = (byte)(b | 0x20);
        }
        var normal = folded[..length];
        return normal.SequenceEqual("contentlength"u8) || normal.SequenceEqual("transferencoding"u8);
    }
}
