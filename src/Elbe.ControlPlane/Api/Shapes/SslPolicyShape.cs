using Elbe.Model.Security;

namespace Elbe.ControlPlane.Api.Shapes;

/// <summary>The <c>SslPolicy</c> and <c>Cipher</c> shapes of DescribeSSLPolicies.</summary>
public static class SslPolicyShape
{
    public static void Write(AwsXmlWriter w, SslPolicy policy) =>
        w.StringList("SslProtocols", policy.Protocols)
            .List("Ciphers", policy.Ciphers, WriteCipher)
            .Value("Name", policy.Name)
            .StringList("SupportedLoadBalancerTypes", policy.SupportedLoadBalancerTypes.Select(LoadBalancerShape.TypeName));

    public static void WriteCipher(AwsXmlWriter w, SslCipher cipher) => w.Value("Name", cipher.Name).Value("Priority", cipher.Priority);

    public static ApiException NotFound() => new("SSLPolicyNotFound", "One or more SSL policies not found");
}
