using Elbe.ControlPlane.Templates;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Tests.Templates;

/// <summary>A listener's MutualAuthentication property in a template.</summary>
public sealed class TemplateMutualAuthenticationTests
{
    private const string CertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/aaaaaaaa-0000-0000-0000-000000000001";
    private const string TrustStoreArn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:truststore/tests/0123456789abcdef";

    private static readonly TemplateLoadContext Context = new()
    {
        Region = "us-east-1",
        AccountId = "123456789012",
        Previous = ElbeConfiguration.Empty with { Certificates = [new Certificate { Arn = CertificateArn, CertificatePem = "", PrivateKeyPem = "" }] },
    };

    private static string Template(string mutualAuthentication) => $$"""
        Resources:
          Alb:
            Type: AWS::ElasticLoadBalancingV2::LoadBalancer
            Properties:
              Subnets: [subnet-0000000000000000a, subnet-0000000000000000b]
          Secure:
            Type: AWS::ElasticLoadBalancingV2::Listener
            Properties:
              LoadBalancerArn: !Ref Alb
              Port: 443
              Protocol: HTTPS
              Certificates: [{ CertificateArn: {{CertificateArn}} }]
              MutualAuthentication: {{mutualAuthentication}}
              DefaultActions: [{ Type: fixed-response, FixedResponseConfig: { StatusCode: '200' } }]
        """;

    [Fact]
    public void Verify_mode_with_its_trust_store_and_options_is_read()
    {
        var config = TemplateLoader.Load(
            Template($"{{ Mode: verify, TrustStoreArn: '{TrustStoreArn}', IgnoreClientCertificateExpiry: true, AdvertiseTrustStoreCaNames: 'on' }}"),
            "stack.yaml", Context);

        var mutual = config.Listeners.Single().MutualAuthentication;

        Assert.Equal(new ListenerMutualAuthentication { Mode = "verify", TrustStoreArn = TrustStoreArn, IgnoreClientCertificateExpiry = true, AdvertiseTrustStoreCaNames = "on" }, mutual);
    }

    [Fact]
    public void Passthrough_needs_only_the_mode()
    {
        var config = TemplateLoader.Load(Template("{ Mode: passthrough }"), "stack.yaml", Context);

        Assert.Equal("passthrough", config.Listeners.Single().MutualAuthentication?.Mode);
    }

    [Fact]
    public void An_unknown_property_is_refused()
    {
        var refused = Assert.Throws<TemplateException>(() => TemplateLoader.Load(Template("{ Mode: verify, TrustStore: x }"), "stack.yaml", Context));

        Assert.Contains(refused.Errors, e => e.LogicalId == "Secure");
    }
}
