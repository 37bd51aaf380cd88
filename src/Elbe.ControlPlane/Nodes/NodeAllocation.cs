using System.Collections.Immutable;
using Elbe.Model.Resources;
using Elbe.Model.Validation;

namespace Elbe.ControlPlane.Nodes;

/// <summary>The nodes of every load balancer that could be placed, and why the others could not.</summary>
public sealed record NodeAllocation(
    IReadOnlyDictionary<string, ImmutableArray<LoadBalancerNode>> NodesByLoadBalancerArn,
    IReadOnlyList<ModelValidationException> Errors);
