using Elbe.ControlPlane.Templates;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Tests.Templates;

/// <summary>Listeners' Certificates and ListenerCertificate resources name certificates imported through ACM (held by the state the template loads into).</summary>
public sealed class TemplateCertificateTests
{
    private const string Default = "arn:aws:acm:us-east-1:123456789012:certificate/aaaaaaaa-0000-0000-0000-000000000001";
    private const string Extra = "arn:aws:acm:us-east-1:123456789012:certificate/aaaaaaaa-0000-0000-0000-000000000002";
    private const string Other = "arn:aws:acm:us-east-1:123456789012:certificate/aaaaaaaa-0000-0000-0000-000000000003";
    private const string Missing = "arn:aws:acm:us-east-1:123456789012:certificate/aaaaaaaa-0000-0000-0000-00000000dead";

    private static readonly ElbeConfiguration Imported = ElbeConfiguration.Empty with
    {
        Certificates = [.. new[] { Default, Extra, Other }.Select(arn => new Certificate { Arn = arn, CertificatePem = "", PrivateKeyPem = "" })],
    };

    private static TemplateLoadContext Context(ElbeConfiguration? previous) =>
        new() { Region = "us-east-1", AccountId = "123456789012", Previous = previous };

    private static string Template(string defaultCertificate, string extraCertificates, string listenerRef = "Secure") => $$"""
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
              Certificates: [{ CertificateArn: {{defaultCertificate}} }]
              DefaultActions: [{ Type: fixed-response, FixedResponseConfig: { StatusCode: '200' } }]
          More:
            Type: AWS::ElasticLoadBalancingV2::ListenerCertificate
            Properties:
              ListenerArn: !Ref {{listenerRef}}
              Certificates: [{{extraCertificates}}]
          Plain:
            Type: AWS::ElasticLoadBalancingV2::Listener
            Properties:
              LoadBalancerArn: !Ref Alb
              Port: 80
              DefaultActions: [{ Type: fixed-response, FixedResponseConfig: { StatusCode: '200' } }]
        """;

    private static string Certificates(params string[] arns) => string.Join(", ", arns.Select(a => $"{{ CertificateArn: {a} }}"));

    [Fact]
    public void Listener_certificates_join_the_listener_after_its_default()
    {
        var config = TemplateLoader.Load(Template(Default, Certificates(Extra, Other, Default)), "stack.yaml", Context(Imported));
        var listener = config.Listeners.Single(l => l.Protocol == "HTTPS");
        Assert.Equal([Default], listener.CertificateArns.ToArray());
        Assert.Equal([Extra, Other], listener.AdditionalCertificateArns.ToArray());
        Assert.Empty(config.Certificates);
    }

    [Fact]
    public void A_certificate_never_imported_is_certificate_not_found()
    {
        var missingDefault = Assert.Throws<TemplateException>(() => TemplateLoader.Load(Template(Missing, Certificates(Extra)), "stack.yaml", Context(Imported)));
        Assert.Contains(missingDefault.Errors, e => e.Message.Contains($"Certificate '{Missing}' not found", StringComparison.Ordinal));
        var missingExtra = Assert.Throws<TemplateException>(() => TemplateLoader.Load(Template(Default, Certificates(Missing)), "stack.yaml", Context(Imported)));
        Assert.Contains(missingExtra.Errors, e => e.Message.Contains($"Certificate '{Missing}' not found", StringComparison.Ordinal));
        // Without the state it loads into, no certificate is known.
        Assert.Throws<TemplateException>(() => TemplateLoader.Load(Template(Default, Certificates(Extra)), "stack.yaml", Context(null)));
    }

    [Fact]
    public void A_listener_certificate_must_name_a_listener_of_the_template()
    {
        var text = Template(Default, Certificates(Extra), "Alb");
        var refused = Assert.Throws<TemplateException>(() => TemplateLoader.Load(text, "stack.yaml", Context(Imported)));
        Assert.Contains(refused.Errors, e => e.LogicalId == "More" && e.PropertyPath == "Resources.More.Properties.ListenerArn");
    }

    [Fact]
    public void Changing_a_listener_certificate_changes_its_listeners_fingerprint_only()
    {
        var before = TemplateLoader.LoadWithFingerprints(Template(Default, Certificates(Extra)), "stack.yaml", Context(Imported));
        var after = TemplateLoader.LoadWithFingerprints(Template(Default, Certificates(Other)), "stack.yaml", Context(Imported));
        var secure = before.Configuration.Listeners.Single(l => l.Protocol == "HTTPS").Arn;
        var plain = before.Configuration.Listeners.Single(l => l.Protocol == "HTTP").Arn;
        Assert.NotEqual(before.Fingerprints[secure], after.Fingerprints[secure]);
        Assert.Equal(before.Fingerprints[plain], after.Fingerprints[plain]);
        Assert.Equal(before.Fingerprints.Count, after.Fingerprints.Count);
    }
}
