using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Templates;

/// <summary>The Route 53 zone AWS reports as CanonicalHostedZoneID, for the regions we know it for.</summary>
internal static class HostedZones
{
    public static string For(LoadBalancerType type, string region) => (type, region) switch
    {
        (LoadBalancerType.Application, "us-west-2") => "Z1H1FL5HABSF5",
        (LoadBalancerType.Application, "eu-west-1") => "Z32O12XQLNTSW2",
        (LoadBalancerType.Network, "us-east-1") => "Z26RNL4JYFTOTI",
        (LoadBalancerType.Network, "us-west-2") => "Z18D5FSROUN65G",
        (LoadBalancerType.Network, "eu-west-1") => "Z2IFOLAFXWLO4F",
        _ => "Z35SXDOTRQ7X7K",
    };
}
