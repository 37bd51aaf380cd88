namespace Elbe.ControlPlane.State;

internal enum WriteKind { Insert, Update, Delete }

/// <summary>One row a commit inserts, rewrites or deletes. <see cref="Json"/> and <see cref="Entry"/> are null for deletes.</summary>
internal sealed record ResourceWrite(WriteKind Kind, ResourceKind ResourceKind, string Key, string? Json, ResourceEntry? Entry);

/// <summary>One tombstone a commit adds (<see cref="Tombstone"/> set) or removes (null).</summary>
internal sealed record TombstoneWrite(string Key, TemplateTombstone? Tombstone);
