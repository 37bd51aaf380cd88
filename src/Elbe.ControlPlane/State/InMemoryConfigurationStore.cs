using Elbe.Model.Identifiers;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.State;

/// <summary>A <see cref="ConfigurationStore"/> that keeps nothing on disk, for tests: same commit, merge and event semantics.</summary>
public sealed class InMemoryConfigurationStore : ConfigurationStore
{
    /// <param name="initial">Resources to start with, as if created through the API.</param>
    public InMemoryConfigurationStore(string region = "us-east-1", string accountId = Arns.DefaultAccountId, ElbeConfiguration? initial = null)
        : base(Seed(region, accountId, initial))
    {
    }

    private static StoreSnapshot Seed(string region, string accountId, ElbeConfiguration? initial)
    {
        var empty = StoreSnapshot.Empty(region, accountId);
        return initial is null ? empty : empty.AfterMutation(initial);
    }

    private protected override void Persist(StoreChangeSet changes)
    {
        // Nothing to write: the snapshot swap that follows is the commit.
    }
}
