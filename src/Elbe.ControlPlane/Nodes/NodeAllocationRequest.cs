namespace Elbe.ControlPlane.Nodes;

public sealed record NodeAllocationRequest(string LoadBalancerArn, IReadOnlyList<NodePlacement> Placements);
