using Elbe.Model.Resources;

namespace Elbe.ControlPlane.State;

/// <summary>
/// The single source of the desired configuration. Mutations run one at a time, each against the latest
/// state, and are durable before <see cref="MutateAsync{T}"/> returns; then <see cref="Changed"/> fires so the
/// data plane applies the new configuration.
/// </summary>
public interface IConfigurationStore
{
    ElbeConfiguration Current { get; }

    /// <summary>
    /// Runs <paramref name="mutate"/> on the current configuration under the store's writer lock. If it throws,
    /// nothing changes. Otherwise the returned configuration is committed, becomes <see cref="Current"/>, and
    /// <see cref="Changed"/> is raised (only when it differs from the old one).
    /// </summary>
    Task<T> MutateAsync<T>(Func<ElbeConfiguration, (ElbeConfiguration Next, T Result)> mutate, CancellationToken cancellationToken = default);

    event Action<ElbeConfiguration>? Changed;
}
