using System.Collections.Immutable;

namespace Elbe.ControlPlane.Api.Shapes;

/// <summary>The <c>Certificate</c> shape: a certificate ARN and, in DescribeListenerCertificates, whether it is the default.</summary>
public static class CertificateShape
{
    /// <summary>The certificate ARNs under <paramref name="member"/>, or null when the request does not carry the list.</summary>
    public static ImmutableArray<string>? ReadList(QueryParameters parameters, string member)
    {
        var items = parameters.GetStructList(member);
        if (items is null) return null;
        var arns = ImmutableArray.CreateBuilder<string>(items.Count);
        foreach (var item in items)
        {
            var arn = item.Get("CertificateArn");
            if (string.IsNullOrEmpty(arn)) throw ApiException.Validation("A certificate ARN must be specified");
            arns.Add(arn);
        }
        return arns.MoveToImmutable();
    }

    /// <summary>
    /// Null when the ARN names an ACM or IAM server certificate, else the reason. Elbe has no certificate store to
    /// look in, so only the form is checked.
    /// </summary>
    public static string? CheckArn(string arn)
    {
        var parts = arn.Split(':', 6);
        if (parts.Length == 6 && parts[0] == "arn" && parts[1].StartsWith("aws", StringComparison.Ordinal))
        {
            if (parts[2] == "acm" && parts[5].StartsWith("certificate/", StringComparison.Ordinal) && parts[5].Length > "certificate/".Length) return null;
            if (parts[2] == "iam" && parts[5].StartsWith("server-certificate/", StringComparison.Ordinal) && parts[5].Length > "server-certificate/".Length) return null;
        }
        return $"Certificate '{arn}' not found";
    }

    public static void Write(AwsXmlWriter w, string arn, bool? isDefault) =>
        w.Value("CertificateArn", arn).Value("IsDefault", isDefault);
}
