using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Templates;

/// <summary>AWS::ElasticLoadBalancingV2::Listener properties to a <see cref="Listener"/>.</summary>
internal static class ListenerReader
{
    private static readonly string[] Allowed = ["LoadBalancerArn", "Port", "Protocol", "DefaultActions", "Certificates", "SslPolicy", "ListenerAttributes", "MutualAuthentication", "AlpnPolicy"];
    private static readonly string[] MutualAuthenticationAllowed = ["Mode", "TrustStoreArn", "IgnoreClientCertificateExpiry", "AdvertiseTrustStoreCaNames"];

    public static Listener Read(StackResource resource, TemplateMap properties, ResourceIdentity identity, TemplateDiagnostics diagnostics)
    {
        var p = new PropertyReader(properties, diagnostics, resource.LogicalId, resource.Type, Allowed);
        var certificates = p.Objects("Certificates", "Certificate", ["CertificateArn"])
            .Select(c => c.String("CertificateArn", required: true)).OfType<string>();
        return new Listener
        {
            Arn = identity.Arn,
            LoadBalancerArn = p.String("LoadBalancerArn", required: true) ?? "",
            Port = p.Int("Port", required: true) ?? 0,
            Protocol = p.String("Protocol") ?? (p.Raw("Certificates") is null ? "HTTP" : "HTTPS"),
            DefaultActions = [.. ActionReader.ReadAll(p, "DefaultActions")],
            CertificateArns = [.. certificates],
            SslPolicy = p.String("SslPolicy"),
            Attributes = LoadBalancerReader.AttributeMap(p, "ListenerAttributes", diagnostics),
            MutualAuthentication = ReadMutualAuthentication(p),
            AlpnPolicy = p.Strings("AlpnPolicy"),
        };
    }

    private static ListenerMutualAuthentication? ReadMutualAuthentication(PropertyReader p)
    {
        if (p.Object("MutualAuthentication", "MutualAuthentication", MutualAuthenticationAllowed) is not { } m) return null;
        return new ListenerMutualAuthentication
        {
            Mode = m.String("Mode") ?? "off",
            TrustStoreArn = m.String("TrustStoreArn"),
            IgnoreClientCertificateExpiry = m.Bool("IgnoreClientCertificateExpiry"),
            AdvertiseTrustStoreCaNames = m.String("AdvertiseTrustStoreCaNames"),
        };
    }
}
