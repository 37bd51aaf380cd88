using System.Net;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Templates;

/// <summary>
/// AWS::EC2::Instance: only what instance targets need, the address to connect to. Elbe does not launch
/// instances, so the rest of an instance's many properties are left alone rather than refused.
/// </summary>
internal static class InstanceReader
{
    public static Instance? Read(StackResource resource, TemplateMap properties, ResourceIdentity identity, TemplateDiagnostics diagnostics)
    {
        var address = properties.Find("PrivateIpAddress")?.Value;
        if (address is null)
        {
            diagnostics.Report(properties.Location, resource.LogicalId, properties.Path + ".PrivateIpAddress",
                "PrivateIpAddress is required: it is the address Elbe sends this instance's traffic to.");
            return null;
        }
        if (address is not TemplateScalar ip || !IPAddress.TryParse(ip.Value, out _))
        {
            diagnostics.Report(address.Location, resource.LogicalId, address.Path, "PrivateIpAddress must be an IP address.");
            return null;
        }
        var subnet = properties.Find("SubnetId")?.Value;
        if (subnet is not null and not TemplateScalar)
        {
            diagnostics.Report(subnet.Location, resource.LogicalId, subnet.Path, "SubnetId must be a string.");
            return null;
        }
        return new Instance(identity.Arn, ip.Value, (subnet as TemplateScalar)?.Value);
    }
}
