namespace Elbe.ControlPlane.State;

/// <summary>
/// A model record of any kind with the key the store files it under: its ARN, or the instance id for instances
/// (which have no ELB ARN and cannot collide with one).
/// </summary>
internal readonly record struct KeyedResource(ResourceKind Kind, string Key, object Value);
