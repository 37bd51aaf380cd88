using Elbe.Model.Resources;

namespace Elbe.DataPlane.Targets;

/// <summary>A registered target with the address and port the load balancer connects to.</summary>
public sealed record ResolvedTarget(TargetDescription Description, string Address, int Port, string ZoneName)
{
    public (string Id, int Port) Key => (Description.Id, Port);
}
