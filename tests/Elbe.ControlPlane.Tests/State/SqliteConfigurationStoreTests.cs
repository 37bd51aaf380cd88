using Elbe.ControlPlane.State;
using Elbe.Model.Resources;
using Microsoft.Data.Sqlite;

namespace Elbe.ControlPlane.Tests.State;

public sealed class SqliteConfigurationStoreTests : IDisposable
{
    private const string GroupArn = RichConfiguration.Prefix + "targetgroup/pool/5555555555555555";
    private readonly TemporaryDataDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private SqliteConfigurationStore Open() => SqliteConfigurationStore.Open(_data.Path, RichConfiguration.Region, RichConfiguration.Account);

    private static TargetGroup Group(string arn, string name) => new() { Arn = arn, Name = name, Port = 80 };

    private static Task Add(ConfigurationStore store, TargetGroup group) =>
        store.MutateAsync(c => (c with { TargetGroups = c.TargetGroups.Add(group) }, 0));

    [Fact]
    public void Open_creates_the_directory_and_database()
    {
        using (Open()) { }
        Assert.True(File.Exists(Path.Combine(_data.Path, SqliteConfigurationStore.FileName)));
    }

    [Fact]
    public async Task Every_resource_kind_with_attributes_and_tags_survives_reopen()
    {
        var rich = RichConfiguration.Build();
        using (var store = Open())
            await store.MutateAsync(_ => (rich, 0));

        using var reopened = Open();
        Assert.Equal(RichConfiguration.Content(rich), RichConfiguration.Content(reopened.Current));
        var lb = Assert.Single(reopened.Current.LoadBalancers);
        Assert.Equal(new DateTimeOffset(2024, 2, 29, 13, 14, 15, 678, TimeSpan.FromHours(5.5)), lb.CreatedTime);
        Assert.Equal(TimeSpan.FromHours(5.5), lb.CreatedTime.Offset);
        Assert.Equal("true", lb.Attributes["load_balancing.cross_zone.enabled"]);
        Assert.Equal<Tag>([new Tag("env", "prod"), new Tag("empty", "")], lb.Tags.ToArray());
        var lambda = reopened.Current.TargetGroups.Single(g => g.Arn == RichConfiguration.LambdaGroupArn);
        Assert.Null(lambda.Protocol);
        Assert.Null(lambda.ProtocolVersion);
        Assert.Null(reopened.Current.Instances[1].SubnetId);
        Assert.Null(reopened.Current.Rules[0].Conditions[2].QueryStringValues[0].Key);
        Assert.Equal(ResourceOrigin.Api, reopened.OriginOf(RichConfiguration.RuleArn));
        Assert.Equal(ResourceOrigin.Api, reopened.OriginOf("i-0123456789abcdef0"));
    }

    [Fact]
    public async Task Region_and_account_are_the_ones_given_at_open()
    {
        using var store = Open();
        await store.MutateAsync(c => (c with { Region = "ap-south-1", AccountId = "999", TargetGroups = [Group(GroupArn, "pool")] }, 0));
        Assert.Equal(RichConfiguration.Region, store.Current.Region);
        Assert.Equal(RichConfiguration.Account, store.Current.AccountId);
    }

    [Fact]
    public async Task Updates_and_deletes_survive_reopen_in_creation_order()
    {
        using (var store = Open())
        {
            await store.MutateAsync(_ => (RichConfiguration.Build(), 0));
            await Add(store, Group(GroupArn, "pool"));
            await store.MutateAsync(c => (c with
            {
                TargetGroups = [.. c.TargetGroups.Where(g => g.Arn != RichConfiguration.LambdaGroupArn)
                    .Select(g => g.Arn == RichConfiguration.WebGroupArn ? g with { Port = 1234, Tags = [] } : g)],
                Rules = [],
            }, 0));
        }

        using var reopened = Open();
        Assert.Equal([RichConfiguration.WebGroupArn, GroupArn], reopened.Current.TargetGroups.Select(g => g.Arn));
        Assert.Equal(1234, reopened.Current.TargetGroups[0].Port);
        Assert.Empty(reopened.Current.TargetGroups[0].Tags);
        Assert.Empty(reopened.Current.Rules);
        Assert.Single(reopened.Current.Listeners);
    }

    [Fact]
    public async Task A_mutation_that_throws_writes_nothing()
    {
        using (var store = Open())
        {
            await Add(store, Group(GroupArn, "pool"));
            var before = store.Current;
            var raised = 0;
            store.Changed += _ => raised++;

            await Assert.ThrowsAsync<InvalidOperationException>(() => store.MutateAsync<int>(c =>
                throw new InvalidOperationException("handler failed")));

            Assert.Same(before, store.Current);
            Assert.Equal(0, raised);
        }
        using var reopened = Open();
        Assert.Equal([GroupArn], reopened.Current.TargetGroups.Select(g => g.Arn));
    }

    [Fact]
    public async Task Concurrent_mutations_never_lose_an_update()
    {
        using (var store = Open())
        {
            await Add(store, Group(GroupArn, "pool"));
            var results = await Task.WhenAll(Enumerable.Range(1, 50).Select(i => Task.Run(() => store.MutateAsync(c =>
            {
                var group = c.TargetGroups.Single(g => g.Arn == GroupArn);
                var next = group with { Targets = group.Targets.Add(new TargetDescription($"10.0.1.{i}", 8000 + i)) };
                return (c with { TargetGroups = c.TargetGroups.Replace(group, next) }, i);
            }))));

            Assert.Equal(Enumerable.Range(1, 50), results.Order());
            Assert.Equal(50, store.Current.TargetGroups.Single().Targets.Length);
        }

        using var reopened = Open();
        var targets = reopened.Current.TargetGroups.Single().Targets;
        Assert.Equal(Enumerable.Range(1, 50).Select(i => $"10.0.1.{i}").Order(), targets.Select(t => t.Id).Order());
    }

    [Fact]
    public async Task Changed_is_raised_once_per_commit_and_not_for_a_mutation_that_changes_nothing()
    {
        using var store = Open();
        var seen = new List<ElbeConfiguration>();
        store.Changed += seen.Add;

        await Add(store, Group(GroupArn, "pool"));
        await store.MutateAsync(c => (c, 0));
        // A copy with equal content is no change either.
        await store.MutateAsync(c => (c with { TargetGroups = [.. c.TargetGroups.Select(g => g with { })] }, 0));

        var only = Assert.Single(seen);
        Assert.Same(store.Current, only);
    }

    [Fact]
    public async Task Two_resources_with_one_key_are_refused_before_anything_is_written()
    {
        using var store = Open();
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            store.MutateAsync(c => (c with { TargetGroups = [Group(GroupArn, "a"), Group(GroupArn, "b")] }, 0)));
        Assert.Empty(store.Current.TargetGroups);
    }

    [Fact]
    public async Task A_failure_inside_the_write_transaction_rolls_back_and_the_next_open_sees_the_old_state()
    {
        const string Poisoned = RichConfiguration.Prefix + "targetgroup/poison/6666666666666666";
        using (var store = Open())
            await Add(store, Group(GroupArn, "pool"));

        // A trigger that aborts the insert of one row: the rows written before it in the same transaction must go too.
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_data.Path, SqliteConfigurationStore.FileName)};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TRIGGER provoke BEFORE INSERT ON resources WHEN NEW.arn LIKE '%/poison/%' BEGIN SELECT RAISE(ABORT, 'provoked'); END";
            command.ExecuteNonQuery();
        }

        using (var store = Open())
        {
            var before = store.Current;
            var error = await Assert.ThrowsAsync<SqliteException>(() => store.MutateAsync(c => (c with
            {
                TargetGroups = [.. c.TargetGroups.Select(g => g with { Port = 9999 }), Group(RichConfiguration.WebGroupArn, "web"), Group(Poisoned, "poison")],
                Instances = [new Instance("i-1", "127.0.0.1")],
            }, 0)));
            Assert.Contains("provoked", error.Message);
            Assert.Same(before, store.Current);

            // The store stays usable after the failed commit.
            await store.MutateAsync(c => (c with { Instances = [new Instance("i-2", "127.0.0.2")] }, 0));
        }

        using var reopened = Open();
        var group = Assert.Single(reopened.Current.TargetGroups);
        Assert.Equal(80, group.Port);
        Assert.Equal(["i-2"], reopened.Current.Instances.Select(i => i.InstanceId));
    }

    [Fact]
    public void A_second_store_on_the_same_directory_is_refused()
    {
        using var first = Open();
        Assert.Throws<InvalidOperationException>(() => Open());
    }

    [Fact]
    public void Rows_from_an_older_or_newer_model_read_back_with_defaults_and_ignore_unknown_members()
    {
        using (Open()) { }
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_data.Path, SqliteConfigurationStore.FileName)};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            // Only the required members, plus one the current model does not have.
            command.CommandText = "INSERT INTO resources (kind, arn, json, origin, template_hash, seq) VALUES ('target-group', $arn, $json, 'api', NULL, 1)";
            command.Parameters.AddWithValue("$arn", GroupArn);
            command.Parameters.AddWithValue("$json", $$$"""{"Arn":"{{{GroupArn}}}","Name":"pool","FromTheFuture":{"x":1}}""");
            command.ExecuteNonQuery();
        }

        using var store = Open();
        var group = Assert.Single(store.Current.TargetGroups);
        Assert.Equal("pool", group.Name);
        Assert.Equal("HTTP", group.Protocol);
        Assert.Equal("/", group.HealthCheck.Path);
        Assert.True(group.Targets.IsEmpty);
        Assert.Empty(group.Attributes);
    }

    [Fact]
    public async Task Mutations_after_dispose_throw()
    {
        var store = Open();
        store.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Add(store, Group(GroupArn, "pool")));
    }
}
