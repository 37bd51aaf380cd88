using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Elbe.Routing.Tls;

/// <summary>
/// The encodings of ALB's X-Amzn-Mtls-Clientcert* headers (fact sheet 1.6): PEM URL-encoded with '+', '=' and
/// '/' left as they are; distinguished names in RFC 2253 form; validity as NotBefore=…;NotAfter=… in UTC.
/// </summary>
public static class ClientCertificateHeaderValues
{
    private static readonly Dictionary<string, string> ShortNames = new(StringComparer.Ordinal)
    {
        ["2.5.4.3"] = "CN",
        ["2.5.4.6"] = "C",
        ["2.5.4.7"] = "L",
        ["2.5.4.8"] = "ST",
        ["2.5.4.9"] = "STREET",
        ["2.5.4.10"] = "O",
        ["2.5.4.11"] = "OU",
        ["0.9.2342.19200300.100.1.1"] = "UID",
        ["0.9.2342.19200300.100.1.25"] = "DC",
    };

    /// <summary>The certificates as PEM blocks, each ending in a newline, URL-encoded.</summary>
    public static string EncodedPem(IEnumerable<X509Certificate2> certificates)
    {
        var pem = new StringBuilder();
        foreach (var certificate in certificates)
            pem.Append(certificate.ExportCertificatePem()).Append('\n');
        return UrlEncode(pem.ToString());
    }

    /// <summary>Percent-encodes all but RFC 3986's unreserved characters and '+', '=', '/' (base64's own alphabet stays readable).</summary>
    public static string UrlEncode(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var encoded = new StringBuilder(bytes.Length + bytes.Length / 8);
        foreach (var b in bytes)
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' or '+' or '=' or '/') encoded.Append(c);
            else encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return encoded.ToString();
    }

    /// <summary>RFC 2253: the most specific RDN first, comma-separated without spaces, short attribute names.</summary>
    public static string Rfc2253(X500DistinguishedName name)
    {
        var text = new StringBuilder();
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames(reversed: true))
        {
            if (text.Length > 0) text.Append(',');
            if (rdn.HasMultipleElements)
            {
                // Multi-valued RDNs are rare in client certificates; .NET's own rendering keeps them readable.
                text.Append(new X500DistinguishedName(rdn.RawData.Span).Name);
                continue;
            }
            var oid = rdn.GetSingleElementType();
            text.Append(oid.Value is { } v && ShortNames.TryGetValue(v, out var shortName) ? shortName : oid.Value)
                .Append('=')
                .Append(Escape(rdn.GetSingleElementValue() ?? ""));
        }
        return text.ToString();
    }

    public static string Validity(DateTime notBefore, DateTime notAfter) =>
        string.Create(CultureInfo.InvariantCulture, $"NotBefore={notBefore.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ};NotAfter={notAfter.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}");

    private static string Escape(string value)
    {
        var escaped = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var special = c is ',' or '+' or '"' or '\\' or '<' or '>' or ';'
                || (i == 0 && c is ' ' or '#')
                || (i == value.Length - 1 && c == ' ');
            if (special) escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.ToString();
    }
}
