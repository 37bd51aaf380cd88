using System.Text.RegularExpressions;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Api.Shapes;

/// <summary>The <c>TrustStore</c> shape, and the trust store name rule (1-32 alphanumerics in hyphen-separated groups).</summary>
public static partial class TrustStoreShape
{
    private const string NamePattern = "^([a-zA-Z0-9]+-)*[a-zA-Z0-9]+$";

    [GeneratedRegex(NamePattern)]
    private static partial Regex ValidName();

    public static void Write(AwsXmlWriter w, TrustStore trustStore) =>
        w.Value("Name", trustStore.Name)
            .Value("TrustStoreArn", trustStore.Arn)
            .Value("Status", trustStore.Status)
            .Value("NumberOfCaCertificates", trustStore.NumberOfCaCertificates)
            .Value("TotalRevokedEntries", trustStore.TotalRevokedEntries());

    public static void CheckName(string name, string memberName = "name")
    {
        if (name.Length < 1) throw ApiException.Constraint(memberName, name, "Member must have length greater than or equal to 1");
        if (name.Length > 32) throw ApiException.Constraint(memberName, name, "Member must have length less than or equal to 32");
        if (!ValidName().IsMatch(name)) throw ApiException.Constraint(memberName, name, $"Member must satisfy regular expression pattern: {NamePattern}");
    }

    public static ApiException NotFound() => TaggedResource.NotFound(TaggedResource.Kind.TrustStore);
}
