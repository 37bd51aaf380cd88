namespace Elbe.ControlPlane.Nodes;

/// <summary>
/// One node a load balancer asks for: the subnet, optionally a pinned address (SubnetMappings' PrivateIPv4Address),
/// and the property path that asked, so an allocation error points at the right list item.
/// </summary>
public sealed record NodePlacement(string SubnetId, string? PrivateIPv4Address, string Path);
