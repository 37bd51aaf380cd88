using System.Collections.Immutable;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.State;

/// <summary>
/// Everything the store holds at one commit: the configuration, an entry per resource, the tombstones of deleted
/// template resources, and counters. Immutable, swapped whole, so readers never see a half-applied commit.
/// </summary>
internal sealed record StoreSnapshot(
    ElbeConfiguration Configuration,
    ImmutableDictionary<string, ResourceEntry> Entries,
    ImmutableDictionary<string, TemplateTombstone> Tombstones,
    long Version,
    long NextSequence)
{
    public static StoreSnapshot Empty(string region, string accountId) =>
        new(ElbeConfiguration.Empty with { Region = region, AccountId = accountId },
            ImmutableDictionary.Create<string, ResourceEntry>(StringComparer.Ordinal),
            ImmutableDictionary.Create<string, TemplateTombstone>(StringComparer.Ordinal), 0, 1);

    /// <summary>
    /// The snapshot after an API mutation produced <paramref name="next"/>: new resources are API-origin, surviving
    /// ones keep their entry, and deleted template resources leave a tombstone.
    /// </summary>
    public StoreSnapshot AfterMutation(ElbeConfiguration next)
    {
        next = next with { Region = Configuration.Region, AccountId = Configuration.AccountId };
        var entries = Entries.ToBuilder();
        var tombstones = Tombstones.ToBuilder();
        var sequence = NextSequence;
        foreach (var kind in ConfigurationResources.Kinds)
        {
            if (ConfigurationResources.SameArray(Configuration, next, kind)) continue;
            var kept = new HashSet<string>(StringComparer.Ordinal);
            foreach (var resource in ConfigurationResources.Of(next, kind))
            {
                if (!kept.Add(resource.Key))
                    throw new InvalidOperationException($"The configuration has two {kind.ToStorageName()} resources keyed '{resource.Key}'.");
                if (entries.ContainsKey(resource.Key)) continue;
                entries[resource.Key] = new ResourceEntry(kind, ResourceOrigin.Api, null, sequence++);
                tombstones.Remove(resource.Key);
            }
            foreach (var resource in ConfigurationResources.Of(Configuration, kind))
            {
                if (kept.Contains(resource.Key) || !entries.TryGetValue(resource.Key, out var entry)) continue;
                entries.Remove(resource.Key);
                if (entry is { Origin: ResourceOrigin.Template, TemplateHash: { } hash })
                    tombstones[resource.Key] = new TemplateTombstone(kind, hash);
            }
        }
        return new StoreSnapshot(next, entries.ToImmutable(), tombstones.ToImmutable(), Version, sequence);
    }
}
