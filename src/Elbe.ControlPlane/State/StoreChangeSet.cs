namespace Elbe.ControlPlane.State;

/// <summary>
/// The rows that differ between two snapshots, which is all a commit writes. Records are immutable, so a resource
/// that is the same object in both is unchanged without looking inside; only the others are serialized and compared.
/// </summary>
internal sealed class StoreChangeSet
{
    public List<ResourceWrite> Resources { get; } = [];
    public List<TombstoneWrite> Tombstones { get; } = [];
    public bool IsEmpty => Resources.Count == 0 && Tombstones.Count == 0;

    public static StoreChangeSet Between(StoreSnapshot old, StoreSnapshot next)
    {
        var changes = new StoreChangeSet();
        var sameEntries = ReferenceEquals(old.Entries, next.Entries);
        foreach (var kind in ConfigurationResources.Kinds)
        {
            if (sameEntries && ConfigurationResources.SameArray(old.Configuration, next.Configuration, kind)) continue;
            var before = ConfigurationResources.Of(old.Configuration, kind).ToDictionary(r => r.Key, StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var resource in ConfigurationResources.Of(next.Configuration, kind))
            {
                seen.Add(resource.Key);
                var entry = next.Entries[resource.Key];
                if (!before.TryGetValue(resource.Key, out var previous))
                {
                    changes.Resources.Add(new ResourceWrite(WriteKind.Insert, kind, resource.Key, ResourceJson.Serialize(resource), entry, resource.Value));
                    continue;
                }
                var sameEntry = old.Entries.TryGetValue(resource.Key, out var oldEntry) && oldEntry == entry;
                if (sameEntry && ReferenceEquals(previous.Value, resource.Value)) continue;
                var json = ResourceJson.Serialize(resource);
                if (sameEntry && json == ResourceJson.Serialize(previous)) continue;
                changes.Resources.Add(new ResourceWrite(WriteKind.Update, kind, resource.Key, json, entry, resource.Value));
            }
            foreach (var key in before.Keys)
                if (!seen.Contains(key))
                    changes.Resources.Add(new ResourceWrite(WriteKind.Delete, kind, key, null, null));
        }
        if (!ReferenceEquals(old.Tombstones, next.Tombstones))
        {
            foreach (var (key, tombstone) in next.Tombstones)
                if (!old.Tombstones.TryGetValue(key, out var previous) || previous != tombstone)
                    changes.Tombstones.Add(new TombstoneWrite(key, tombstone));
            foreach (var key in old.Tombstones.Keys)
                if (!next.Tombstones.ContainsKey(key))
                    changes.Tombstones.Add(new TombstoneWrite(key, null));
        }
        return changes;
    }
}
