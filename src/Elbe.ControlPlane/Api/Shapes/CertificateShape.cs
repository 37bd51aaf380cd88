using System.Collections.Immutable;
using Elbe.Model.Resources;
using Elbe.Model.Validation;

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
    /// Null when the ARN names a certificate imported through Elbe's ACM API, else CertificateNotFound's message.
    /// IAM server certificates are never found: Elbe has no IAM to hold them.
    /// </summary>
    public static string? CheckArn(ElbeConfiguration configuration, string arn)
    {
        foreach (var certificate in configuration.Certificates)
            if (certificate.Arn == arn) return null;
        return ConfigurationValidator.CertificateNotFoundMessage(arn);
    }

    public static void Write(AwsXmlWriter w, string arn, bool? isDefault) =>
        w.Value("CertificateArn", arn).Value("IsDefault", isDefault);
}
