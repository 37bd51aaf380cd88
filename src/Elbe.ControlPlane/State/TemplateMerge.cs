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
/// </summary>
internal static class TemplateMerge
{
    public static (StoreSnapshot Next, TemplateMergeResult Result) Apply(StoreSnapshot current, ElbeConfiguration fromTemplate)
    {
        var template = new Dictionary<string, (KeyedResource Resource, string Hash)>(StringComparer.Ordinal);
        var templateOrder = new List<string>();
        foreach (var resource in ConfigurationResources.All(fromTemplate))
        {
            if (!template.TryAdd(resource.Key, (resource, ResourceJson.Hash(resource))))
                throw new InvalidOperationException($"The template has two resources keyed '{resource.Key}'.");
            templateOrder.Add(resource.Key);
        }

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
            else if (fresh.Hash == entry.TemplateHash)
            {
                merged.Add(stored);
                kept.Add(stored.Key);
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
            if (tombstones.TryGetValue(key, out var tombstone) && tombstone.TemplateHash == hash)
            {
                kept.Add(key);
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

        var configuration = ConfigurationResources.Assemble(current.Configuration.Region, current.Configuration.AccountId, merged);
        var next = new StoreSnapshot(configuration, entries.ToImmutable(), tombstones.ToImmutable(), current.Version, sequence);
        var result = new TemplateMergeResult { Inserted = inserted, Replaced = replaced, Deleted = deleted, Kept = kept, Conflicts = conflicts };
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
