using Elbe.ControlPlane.State;
using Elbe.Model.Resources;
using Elbe.Model.Validation;

namespace Elbe.ControlPlane.Tests.State;

/// <summary>The template import rules, each checked across a reopen of the SQLite store (a restart re-imports the template).</summary>
public sealed class TemplateMergeTests : IDisposable
{
    private const string Prefix = RichConfiguration.Prefix;
    private const string AppArn = Prefix + "targetgroup/app/aaaaaaaaaaaaaaaa";
    private const string AdminArn = Prefix + "targetgroup/admin/bbbbbbbbbbbbbbbb";
    private const string ApiArn = Prefix + "targetgroup/made-by-api/cccccccccccccccc";
    private static readonly Func<ElbeConfiguration, IReadOnlyList<ModelValidationException>> NoValidation = _ => [];
    private readonly TemporaryDataDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private SqliteConfigurationStore Open() => SqliteConfigurationStore.Open(_data.Path, RichConfiguration.Region, RichConfiguration.Account);

    private static TargetGroup Group(string arn, string name, int port = 80) => new() { Arn = arn, Name = name, Port = port };

    private static ElbeConfiguration Template(params TargetGroup[] groups) => new() { TargetGroups = [.. groups], Instances = [new Instance("i-template", "127.0.0.5")] };

    /// <summary>What `elbe serve --config` does on every start: open the store, import the template.</summary>
    private async Task<(SqliteConfigurationStore Store, TemplateMergeResult Result)> StartAsync(ElbeConfiguration template)
    {
        var store = Open();
        try
        {
            return (store, await store.ApplyTemplateAsync(template, NoValidation));
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    private static Task Edit(ConfigurationStore store, string arn, Func<TargetGroup, TargetGroup> change) =>
        store.MutateAsync(c => (c with { TargetGroups = [.. c.TargetGroups.Select(g => g.Arn == arn ? change(g) : g)] }, 0));

    [Fact]
    public async Task Template_resources_are_inserted_with_template_origin_and_show_up_in_the_configuration()
    {
        var (store, result) = await StartAsync(Template(Group(AppArn, "app"), Group(AdminArn, "admin")));
        using (store)
        {
            Assert.Equal([AppArn, AdminArn, "i-template"], result.Inserted);
            Assert.Equal([AppArn, AdminArn], store.Current.TargetGroups.Select(g => g.Arn));
            Assert.Equal(ResourceOrigin.Template, store.OriginOf(AppArn));
            Assert.Equal(RichConfiguration.Region, store.Current.Region);
        }
        using var reopened = Open();
        Assert.Equal([AppArn, AdminArn], reopened.Current.TargetGroups.Select(g => g.Arn));
        Assert.Equal(ResourceOrigin.Template, reopened.OriginOf("i-template"));
    }

    [Fact]
    public async Task An_API_edit_of_a_template_resource_survives_a_restart_with_the_unchanged_template()
    {
        var template = Template(Group(AppArn, "app"));
        var (store, _) = await StartAsync(template);
        using (store)
        {
            await Edit(store, AppArn, g => g with { Targets = [new TargetDescription("10.0.0.9", 8080)], Tags = [new Tag("by", "api")] });
            Assert.Equal(ResourceOrigin.Template, store.OriginOf(AppArn));
        }

        var (restarted, result) = await StartAsync(template);
        using (restarted)
        {
            Assert.False(result.ChangedAnything);
            Assert.Contains(AppArn, result.Kept);
            var app = Assert.Single(restarted.Current.TargetGroups);
            Assert.Equal("10.0.0.9", Assert.Single(app.Targets).Id);
            Assert.Equal("api", Assert.Single(app.Tags).Value);
        }
    }

    [Fact]
    public async Task A_template_edit_made_after_an_API_edit_wins()
    {
        var (store, _) = await StartAsync(Template(Group(AppArn, "app", port: 80)));
        using (store)
        {
            await Edit(store, AppArn, g => g with { Tags = [new Tag("by", "api")] });
            var result = await store.ApplyTemplateAsync(Template(Group(AppArn, "app", port: 8080)), NoValidation);
            Assert.Equal([AppArn], result.Replaced);
            var app = Assert.Single(store.Current.TargetGroups);
            Assert.Equal(8080, app.Port);
            Assert.Empty(app.Tags);
        }

        // The edited template is now the last import: a restart with it keeps a later API edit again.
        var (restarted, again) = await StartAsync(Template(Group(AppArn, "app", port: 8080)));
        using (restarted)
        {
            Assert.False(again.ChangedAnything);
            Assert.Equal(8080, restarted.Current.TargetGroups.Single().Port);
        }
    }

    [Fact]
    public async Task A_resource_removed_from_the_template_is_deleted()
    {
        var (store, _) = await StartAsync(Template(Group(AppArn, "app"), Group(AdminArn, "admin")));
        using (store)
        {
            var result = await store.ApplyTemplateAsync(Template(Group(AppArn, "app")), NoValidation);
            Assert.Equal([AdminArn], result.Deleted);
            Assert.Null(store.OriginOf(AdminArn));
        }
        using var reopened = Open();
        Assert.Equal([AppArn], reopened.Current.TargetGroups.Select(g => g.Arn));
    }

    [Fact]
    public async Task API_resources_are_never_touched_by_the_template()
    {
        var (store, _) = await StartAsync(Template(Group(AppArn, "app")));
        using (store)
        {
            await store.MutateAsync(c => (c with { TargetGroups = c.TargetGroups.Add(Group(ApiArn, "made-by-api")) }, 0));
            Assert.Equal(ResourceOrigin.Api, store.OriginOf(ApiArn));

            // A template that now names the API resource's ARN, and drops everything else.
            var result = await store.ApplyTemplateAsync(new ElbeConfiguration { TargetGroups = [Group(ApiArn, "made-by-api", port: 1)] }, NoValidation);
            Assert.Equal([ApiArn], result.Conflicts);
            Assert.Equal(80, store.Current.TargetGroups.Single(g => g.Arn == ApiArn).Port);
            Assert.Equal([ApiArn], store.Current.TargetGroups.Select(g => g.Arn));
        }
        using var reopened = Open();
        Assert.Equal(ResourceOrigin.Api, reopened.OriginOf(ApiArn));
        Assert.Equal(80, reopened.Current.TargetGroups.Single().Port);
    }

    [Fact]
    public async Task A_template_resource_deleted_through_the_API_stays_deleted_until_the_template_changes_it()
    {
        var template = Template(Group(AppArn, "app"), Group(AdminArn, "admin"));
        var (store, _) = await StartAsync(template);
        using (store)
            await store.MutateAsync(c => (c with { TargetGroups = c.TargetGroups.RemoveAll(g => g.Arn == AdminArn) }, 0));

        var (restarted, result) = await StartAsync(template);
        using (restarted)
        {
            Assert.False(result.ChangedAnything);
            Assert.Equal([AppArn], restarted.Current.TargetGroups.Select(g => g.Arn));

            var edited = await restarted.ApplyTemplateAsync(Template(Group(AppArn, "app"), Group(AdminArn, "admin", port: 81)), NoValidation);
            Assert.Equal([AdminArn], edited.Inserted);
            Assert.Equal(81, restarted.Current.TargetGroups.Single(g => g.Arn == AdminArn).Port);
        }
    }

    [Fact]
    public async Task A_merge_that_does_not_validate_is_refused_whole()
    {
        var (store, _) = await StartAsync(Template(Group(AppArn, "app")));
        using (store)
        {
            await store.MutateAsync(c => (c with { TargetGroups = c.TargetGroups.Add(Group(ApiArn, "admin")) }, 0));
            var before = store.Current;
            var changed = 0;
            store.Changed += _ => changed++;

            // The template now adds a target group whose name the API already took.
            var error = await Assert.ThrowsAsync<TemplateMergeException>(() =>
                store.ApplyTemplateAsync(Template(Group(AppArn, "app", port: 81), Group(AdminArn, "admin"))));

            Assert.Contains(error.Errors, e => e.Code == ErrorCodes.DuplicateTargetGroupName);
            Assert.Same(before, store.Current);
            Assert.Equal(0, changed);
        }
        using var reopened = Open();
        Assert.Equal(80, reopened.Current.TargetGroups.Single(g => g.Arn == AppArn).Port);
        Assert.Null(reopened.OriginOf(AdminArn));
    }

    [Fact]
    public async Task The_in_memory_store_merges_by_the_same_rules()
    {
        var store = new InMemoryConfigurationStore(RichConfiguration.Region, RichConfiguration.Account);
        var template = Template(Group(AppArn, "app"), Group(AdminArn, "admin"));
        await store.ApplyTemplateAsync(template, NoValidation);
        await Edit(store, AppArn, g => g with { Port = 1 });
        await store.MutateAsync(c => (c with { TargetGroups = c.TargetGroups.Add(Group(ApiArn, "made-by-api")) }, 0));

        var result = await store.ApplyTemplateAsync(Template(Group(AppArn, "app")), NoValidation);

        Assert.Equal([AdminArn], result.Deleted);
        Assert.Equal([AppArn, ApiArn], store.Current.TargetGroups.Select(g => g.Arn));
        Assert.Equal(1, store.Current.TargetGroups[0].Port);
    }
}
