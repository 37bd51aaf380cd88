using Elbe.Model.Resources;
using Elbe.Model.Validation;

namespace Elbe.ControlPlane.State;

/// <summary>
/// The commit protocol shared by every store: one writer at a time computes the next snapshot, hands the rows that
/// differ to <see cref="Persist"/> (which must write them atomically or throw), and only then swaps the snapshot in.
/// Reads of <see cref="Current"/> take no lock. <see cref="Changed"/> is raised after the writer lock is released,
/// in commit order; a handler may see only the newest of several quick commits, never an older one after a newer.
/// Handlers run one at a time and must not wait for another mutation to finish; a handler's exception reaches the
/// caller whose commit raised it, and that commit stands.
/// </summary>
public abstract class ConfigurationStore : IConfigurationStore
{
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly Lock _notification = new();
    private volatile StoreSnapshot _snapshot;
    private long _notifiedVersion;

    private protected ConfigurationStore(StoreSnapshot initial)
    {
        _snapshot = initial;
        _notifiedVersion = initial.Version;
    }

    public ElbeConfiguration Current => _snapshot.Configuration;

    /// <summary>As given when the store was opened; every committed configuration carries them.</summary>
    public string Region => _snapshot.Configuration.Region;
    public string AccountId => _snapshot.Configuration.AccountId;

    public event Action<ElbeConfiguration>? Changed;

    /// <summary>Whether the resource keyed <paramref name="key"/> (ARN, or instance id) came from the template or the API; null if absent.</summary>
    public ResourceOrigin? OriginOf(string key) => _snapshot.Entries.TryGetValue(key, out var entry) ? entry.Origin : null;

    public async Task<T> MutateAsync<T>(Func<ElbeConfiguration, (ElbeConfiguration Next, T Result)> mutate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mutate);
        T result = default!;
        var committed = await CommitAsync(current =>
        {
            var (next, value) = mutate(current.Configuration);
            result = value;
            return current.AfterMutation(next);
        }, cancellationToken);
        if (committed) Notify();
        return result;
    }

    /// <summary>
    /// Imports a template's configuration by the rules of <see cref="TemplateMerge"/>, each resource's hash taken
    /// from its whole record. Templates read from text should come through the overload that takes the loader's
    /// fingerprints, which stay put when the model gains a member or changes a default.
    /// </summary>
    public Task<TemplateMergeResult> ApplyTemplateAsync(ElbeConfiguration fromTemplate,
        Func<ElbeConfiguration, IReadOnlyList<ModelValidationException>>? validator = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fromTemplate);
        return ApplyTemplateAsync(_ => (fromTemplate, null), validator, cancellationToken);
    }

    /// <summary>
    /// Imports a template by the rules of <see cref="TemplateMerge"/>, then checks the merged configuration with
    /// <paramref name="validator"/> (by default the model's own, the same the API and the template loader use) and
    /// commits it. <paramref name="load"/> runs under the writer lock with the configuration the import will be
    /// merged into, so what it derives from it (node addresses) cannot be taken by a mutation in between. If it
    /// throws, nothing is committed. Throws <see cref="TemplateMergeException"/>, committing nothing, if the merge
    /// does not validate.
    /// </summary>
    /// <param name="load">The template's configuration and, by resource key, the fingerprint of what the template
    /// says about each resource (null to hash whole records).</param>
    public async Task<TemplateMergeResult> ApplyTemplateAsync(
        Func<ElbeConfiguration, (ElbeConfiguration Configuration, IReadOnlyDictionary<string, string>? Fingerprints)> load,
        Func<ElbeConfiguration, IReadOnlyList<ModelValidationException>>? validator = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(load);
        TemplateMergeResult result = new();
        var committed = await CommitAsync(current =>
        {
            var (fromTemplate, fingerprints) = load(current.Configuration);
            var (next, merge) = TemplateMerge.Apply(current, fromTemplate, fingerprints);
            result = merge;
            if (merge.ChangedAnything)
            {
                var errors = (validator ?? ConfigurationValidator.Collect)(next.Configuration);
                if (errors.Count > 0) throw new TemplateMergeException(errors);
            }
            return next;
        }, cancellationToken);
        if (committed) Notify();
        return result;
    }

    /// <summary>Writes <paramref name="changes"/> all or nothing; throwing means nothing was written.</summary>
    private protected abstract void Persist(StoreChangeSet changes);

    /// <summary>Runs <paramref name="action"/> while no commit is in progress or can start, e.g. to close the database.</summary>
    private protected void ExcludingWriters(Action action)
    {
        _writer.Wait();
        try
        {
            action();
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task<bool> CommitAsync(Func<StoreSnapshot, StoreSnapshot> produce, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            var current = _snapshot;
            var next = produce(current);
            var changes = StoreChangeSet.Between(current, next);
            if (changes.IsEmpty) return false;
            Persist(changes);
            // Bookkeeping alone (tombstones, template hashes) leaves the configuration as it was: no new version, no Changed.
            if (changes.Resources.Count == 0 || ReferenceEquals(next.Configuration, current.Configuration))
            {
                _snapshot = next with { Configuration = current.Configuration, Version = current.Version };
                return false;
            }
            _snapshot = next with { Version = current.Version + 1 };
            return true;
        }
        finally
        {
            _writer.Release();
        }
    }

    private void Notify()
    {
        // Under this lock each handler call gets the newest snapshot, so two committers racing here cannot deliver
        // an older configuration after a newer one.
        lock (_notification)
        {
            var snapshot = _snapshot;
            if (snapshot.Version <= _notifiedVersion) return;
            _notifiedVersion = snapshot.Version;
            Changed?.Invoke(snapshot.Configuration);
        }
    }
}
