using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Templates;

/// <summary>What a supported resource is known by before its other properties are read: its name, ids and ARN.</summary>
internal sealed record ResourceIdentity(string Arn, string Name, string Id, LoadBalancerType LoadBalancerType = LoadBalancerType.Application, string Scheme = "internet-facing");
