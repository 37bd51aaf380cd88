using YamlDotNet.RepresentationModel;

namespace Elbe.ControlPlane.Templates;

/// <summary>One entry of the template's Resources section, before its properties are resolved.</summary>
internal sealed record StackResource(string LogicalId, string Type, YamlMappingNode? Properties, TemplateLocation Location)
{
    public string Path => "Resources." + LogicalId;
    public string PropertiesPath => Path + ".Properties";
}

internal static class ResourceTypes
{
    public const string LoadBalancer = "AWS::ElasticLoadBalancingV2::LoadBalancer";
    public const string TargetGroup = "AWS::ElasticLoadBalancingV2::TargetGroup";
    public const string Listener = "AWS::ElasticLoadBalancingV2::Listener";
    public const string ListenerRule = "AWS::ElasticLoadBalancingV2::ListenerRule";
    /// <summary>Adds certificates to a listener's list (AddListenerCertificates); not a resource of its own in the model.</summary>
    public const string ListenerCertificate = "AWS::ElasticLoadBalancingV2::ListenerCertificate";
    public const string Instance = "AWS::EC2::Instance";

    public static bool IsSupported(string type) => type is LoadBalancer or TargetGroup or Listener or ListenerRule or ListenerCertificate or Instance;
}
