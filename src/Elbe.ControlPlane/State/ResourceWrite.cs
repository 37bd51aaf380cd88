namespace Elbe.ControlPlane.State;

internal enum WriteKind { Insert, Update, Delete }

/// <summary>
/// One row a commit inserts, rewrites or deletes. <see cref="Json"/>, <see cref="Entry"/> and <see cref="Value"/> (the
/// model record, for what the row leaves out: a certificate's private key) are null for deletes.
/// </summary>
internal sealed record ResourceWrite(WriteKind Kind, ResourceKind ResourceKind, string Key, string? Json, ResourceEntry? Entry, object? Value = null);

/// <summary>One tombstone a commit adds (<see cref="Tombstone"/> set) or removes (null).</summary>
internal sealed record TombstoneWrite(string Key, TemplateTombstone? Tombstone);
