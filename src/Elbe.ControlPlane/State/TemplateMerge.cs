using System.Collections.Immutable;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.State;

/// <summary>
/// Folds a loaded template into the stored state, at startup and on every live reload. Template ARNs are stable
/// (stack name + logical id), so resources are matched by key (ARN, or instance id). Each stored template resource
/// remembers the hash of the template's version of it as of the import that last wrote it. The rules:
/// <list type="bullet">
/// <item>In the template, not in the store: inserted, origin template, with its hash.</item>
/// <item>In both, template version's hash unchanged since the last import: the stored version stays, so edits made
/// through the API survive restarts (which re-import the same template).</item>
/// <item>In both, hash changed: the template was edited after the API edit, so the template's version replaces the
/// stored one (and its hash is recorded).</item>
/// <item>Deleted through the API and unchanged in the template: stays deleted (a tombstone remembers the hash);
/// changed in the template: inserted again.</item>
/// <item>Template origin, no longer in the template: deleted.</item>
/// <item>API origin: never touched, not even when the template names the same key (reported as a conflict).</item>
/// </list>
/// Resources keep their place; new ones are appended in template order.
/// The hash is the loader's fingerprint of what the template says about the resource when given, so model defaults
/// and members the template never mentions do not count as template edits. Hashes stored before fingerprints
/// existed were of the whole record; one that still matches the record counts as unchanged and is upgraded.
/// </summary>
internal static class TemplateMerge
{
    public static (StoreSnapshot Next, TemplateMergeResult Result) Apply(StoreSnapshot current, ElbeConfiguration fromTemplate,
        IReadOnlyDictionary<string, string>? fingerprints = null)
    {
        var template = new Dictionary<string, (KeyedResource Resource, string Hash)>(StringComparer.Ordinal);
        var templateOrder = new List<string>();
        foreach (var resource in ConfigurationResources.All(fromTemplate))
        {
            var hash = fingerprints is null ? ResourceJson.Hash(resource)
                : fingerprints.TryGetValue(resource.Key, out var fingerprint) ? fingerprint
                : throw new ArgumentException($"No fingerprint for the template resource '{resource.Key}'.", nameof(fingerprints));
            if (!template.TryAdd(resource.Key, (resource, hash)))
                throw new InvalidOperationException($"The template has two resources keyed '{resource.Key}'.");
            templateOrder.Add(resource.Key);
        }
        bool Unchanged(string? stored, string hash, KeyedResource resource) =>
            stored == hash || fingerprints is not null && stored is not null && stored == ResourceJson.Hash(resource);

        var entries = current.Entries.ToBuilder();
        var tombstones = current.Tombstones.ToBuilder();
        var sequence = current.NextSequence;
        List<string> inserted = [], replaced = [], deleted = [], kept = [], conflicts = [];
        var merged = new List<KeyedResource>();
        var present = new HashSet<string>(StringComparer.Ordinal);

        foreach (var stored in ConfigurationResources.All(current.Configuration))
        {
            present.Add(stored.Key);
            var entry = current.Entries[stored.Key];
            var inTemplate = template.TryGetValue(stored.Key, out var fresh);
            if (entry.Origin == ResourceOrigin.Api)
            {
                if (inTemplate) conflicts.Add(stored.Key);
                merged.Add(stored);
            }
            else if (!inTemplate)
            {
                entries.Remove(stored.Key);
                deleted.Add(stored.Key);
            }
            else if (Unchanged(entry.TemplateHash, fresh.Hash, fresh.Resource))
            {
                merged.Add(stored);
                kept.Add(stored.Key);
                if (entry.TemplateHash != fresh.Hash) entries[stored.Key] = entry with { TemplateHash = fresh.Hash };
            }
            else
            {
                merged.Add(KeepCreationTime(fresh.Resource, stored));
                entries[stored.Key] = entry with { TemplateHash = fresh.Hash };
                replaced.Add(stored.Key);
            }
        }

        foreach (var key in templateOrder)
        {
            if (present.Contains(key)) continue;
            var (resource, hash) = template[key];
            if (tombstones.TryGetValue(key, out var tombstone) && Unchanged(tombstone.TemplateHash, hash, resource))
            {
                kept.Add(key);
                if (tombstone.TemplateHash != hash) tombstones[key] = tombstone with { TemplateHash = hash };
                continue;
            }
            tombstones.Remove(key);
            merged.Add(StampCreationTime(resource, DateTimeOffset.UtcNow));
            entries[key] = new ResourceEntry(resource.Kind, ResourceOrigin.Template, hash, sequence++);
            inserted.Add(key);
        }
        foreach (var key in current.Tombstones.Keys)
            if (!template.ContainsKey(key))
                tombstones.Remove(key);

        var result = new TemplateMergeResult { Inserted = inserted, Replaced = replaced, Deleted = deleted, Kept = kept, Conflicts = conflicts };
        // Nothing inserted, replaced or deleted leaves every resource where it was: keep the very same configuration,
        // so a commit of hash bookkeeping alone is not mistaken for a change of configuration.
        var configuration = result.ChangedAnything
            ? ConfigurationResources.Assemble(current.Configuration.Region, current.Configuration.AccountId, merged)
            : current.Configuration;
        var next = new StoreSnapshot(configuration, entries.ToImmutable(), tombstones.ToImmutable(), current.Version, sequence);
        return (next, result);
    }

    /// <summary>
    /// A template cannot say when a load balancer was created, so the first import does (the hash is taken
    /// before, so it never makes the template look edited).
    /// </summary>
    private static KeyedResource StampCreationTime(KeyedResource resource, DateTimeOffset now) =>
        resource.Value is LoadBalancer { CreatedTime: var created } lb && created == DateTimeOffset.UnixEpoch
            ? resource with { Value = lb with { CreatedTime = now } }
            : resource;

    private static KeyedResource KeepCreationTime(KeyedResource fresh, KeyedResource stored) =>
        fresh.Value is LoadBalancer lb && stored.Value is LoadBalancer old ? fresh with { Value = lb with { CreatedTime = old.CreatedTime } } : fresh;
}
