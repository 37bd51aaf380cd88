using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Elbe.Model.Resources;

/// <summary>
/// A certificate revocation list (RFC 5280 §5) read far enough to know who issued it and which serial numbers
/// it revokes. Accepts PEM ("X509 CRL") or DER.
/// </summary>
public sealed record TrustStoreRevocationList(string Pem, X500DistinguishedName Issuer, IReadOnlyList<string> RevokedSerialNumbers)
{
    private const string CrlLabel = "X509 CRL";

    /// <summary>Null when the content is not a well-formed CRL.</summary>
    public static TrustStoreRevocationList? Parse(ReadOnlySpan<byte> content)
    {
        var der = Der(content);
        if (der is null) return null;
        try
        {
            var list = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            var tbs = list.ReadSequence();
            if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer)) tbs.ReadInteger(); // version
            tbs.ReadSequence(); // signature algorithm
            var issuer = new X500DistinguishedName(tbs.ReadEncodedValue().Span);
            ReadTime(tbs); // thisUpdate
            if (tbs.HasData && IsTime(tbs.PeekTag())) ReadTime(tbs); // nextUpdate

            var serials = new List<string>();
            if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                var revoked = tbs.ReadSequence();
                while (revoked.HasData)
                {
                    var entry = revoked.ReadSequence();
                    serials.Add(SerialHex(entry.ReadIntegerBytes().Span));
                }
            }
            return new TrustStoreRevocationList(PemEncoding.WriteString(CrlLabel, der) + "\n", issuer, serials);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            return null;
        }
    }

    /// <summary>True when one of the certificates has this list's issuer as its subject.</summary>
    public bool IsIssuedByOneOf(IEnumerable<X509Certificate2> certificates)
    {
        foreach (var certificate in certificates)
            if (certificate.SubjectName.RawData.AsSpan().SequenceEqual(Issuer.RawData)
                || string.Equals(certificate.SubjectName.Name, Issuer.Name, StringComparison.Ordinal))
                return true;
        return false;
    }

    private static byte[]? Der(ReadOnlySpan<byte> content)
    {
        // DER starts with a SEQUENCE tag; anything else has to be PEM text.
        if (content.Length > 0 && content[0] == 0x30) return content.ToArray();
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(content);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        if (!PemEncoding.TryFind(text, out var fields) || !text.AsSpan()[fields.Label].SequenceEqual(CrlLabel)) return null;
        var der = new byte[fields.DecodedDataLength];
        return Convert.TryFromBase64Chars(text.AsSpan()[fields.Base64Data], der, out _) ? der : null;
    }

    private static bool IsTime(Asn1Tag tag) =>
        tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

    private static void ReadTime(AsnReader reader)
    {
        if (reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime)) reader.ReadUtcTime();
        else reader.ReadGeneralizedTime();
    }

    /// <summary>The serial's DER content bytes in uppercase hex, the same text X509Certificate2.SerialNumber gives.</summary>
    private static string SerialHex(ReadOnlySpan<byte> integer) => Convert.ToHexString(integer);
}
