using Elbe.ControlPlane.State;
using Elbe.ControlPlane.Templates;
using Elbe.ControlPlane.Tests.State;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Tests.Templates;

/// <summary>The loader's fingerprints, and how the store's merge uses them across restarts.</summary>
public sealed class TemplateFingerprintTests : IDisposable
{
    private readonly TemporaryDataDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private static TemplateLoadContext Context(ElbeConfiguration? previous = null) => new() { Region = "us-east-1", AccountId = "123456789012", Previous = previous };

    private static LoadedTemplate Load(string text, ElbeConfiguration? previous = null) => TemplateLoader.LoadWithFingerprints(text, "stack.yaml", Context(previous));

    private SqliteConfigurationStore Open() => SqliteConfigurationStore.Open(_data.Path, "us-east-1", "123456789012");

    private static Task<TemplateMergeResult> Import(ConfigurationStore store, string text) =>
        store.ApplyTemplateAsync(current => { var t = Load(text, current); return (t.Configuration, t.Fingerprints); });

    [Fact]
    public void Every_resource_has_a_fingerprint_that_ignores_layout_and_key_order_but_not_values()
    {
        var original = Load(SampleTemplates.Yaml);
        var keys = original.Configuration.LoadBalancers.Select(r => r.Arn)
            .Concat(original.Configuration.TargetGroups.Select(r => r.Arn))
            .Concat(original.Configuration.Listeners.Select(r => r.Arn))
            .Concat(original.Configuration.Rules.Select(r => r.Arn))
            .Concat(original.Configuration.Instances.Select(r => r.InstanceId));
        Assert.Equal(keys.Order(), original.Fingerprints.Keys.Order());

        // Comments, blank lines and another order of the same keys say the same thing.
        var reformatted = Load(SampleTemplates.Yaml
            .Replace("      Name: app\n      Protocol: HTTP\n", "      # the app\n\n      Protocol: HTTP\n      Name: app\n", StringComparison.Ordinal));
        Assert.Equal(original.Fingerprints, reformatted.Fingerprints);

        var edited = Load(SampleTemplates.Yaml.Replace("HealthCheckPath: /health", "HealthCheckPath: /ready", StringComparison.Ordinal));
        var app = original.Configuration.TargetGroups.Single().Arn;
        Assert.NotEqual(original.Fingerprints[app], edited.Fingerprints[app]);
        Assert.Equal(original.Fingerprints.Where(f => f.Key != app), edited.Fingerprints.Where(f => f.Key != app));

        // A parameter default is part of what the template says wherever it is used.
        var parameter = Load(SampleTemplates.Yaml.Replace("Default: 8080", "Default: 8081", StringComparison.Ordinal));
        Assert.NotEqual(original.Fingerprints[app], parameter.Fingerprints[app]);
    }

    [Fact]
    public async Task An_API_edit_survives_a_restart_even_if_the_loaded_record_differs_while_the_template_does_not()
    {
        string app;
        using (var store = Open())
        {
            await Import(store, SampleTemplates.Yaml);
            app = store.Current.TargetGroups.Single().Arn;
            await store.MutateAsync(c => (c with { TargetGroups = [c.TargetGroups.Single() with { Port = 1234 }] }, 0));
        }

        // What a new Elbe with another model default would load from the same text: a different record, the same
        // fingerprint. Hashing the record made this look like a template edit and threw the API's edit away.
        var loaded = Load(SampleTemplates.Yaml);
        var upgraded = loaded.Configuration with
        {
            TargetGroups = [loaded.Configuration.TargetGroups.Single() with { HealthCheck = loaded.Configuration.TargetGroups.Single().HealthCheck with { IntervalSeconds = 31 } }],
        };
        using (var store = Open())
        {
            var changed = 0;
            store.Changed += _ => changed++;
            var result = await store.ApplyTemplateAsync(_ => (upgraded, loaded.Fingerprints));
            Assert.False(result.ChangedAnything);
            Assert.Equal(1234, store.Current.TargetGroups.Single().Port);
            Assert.Equal(0, changed);

            // A real edit of the template still replaces it.
            var edited = await Import(store, SampleTemplates.Yaml.Replace("HealthCheckPath: /health", "HealthCheckPath: /ready", StringComparison.Ordinal));
            Assert.Equal([app], edited.Replaced);
            Assert.Equal(8080, store.Current.TargetGroups.Single().Port);
        }
    }

    [Fact]
    public async Task Hashes_stored_before_fingerprints_count_as_unchanged_and_are_upgraded()
    {
        var loaded = Load(SampleTemplates.Yaml);
        using (var store = Open())
        {
            // The former import hashed the whole record.
            await store.ApplyTemplateAsync(loaded.Configuration);
            await store.MutateAsync(c => (c with { TargetGroups = [c.TargetGroups.Single() with { Port = 1234 }] }, 0));
            await store.MutateAsync(c => (c with { Rules = [] }, 0));
        }
        using (var store = Open())
        {
            var version = store.Current;
            var result = await Import(store, SampleTemplates.Yaml);
            Assert.False(result.ChangedAnything);
            Assert.Same(version, store.Current);
        }
        using (var store = Open())
        {
            // Now stored as fingerprints: a record that differs with the same fingerprint is still the same template.
            var changedRecord = loaded.Configuration with { TargetGroups = [loaded.Configuration.TargetGroups.Single() with { Name = "other" }], Rules = [loaded.Configuration.Rules.Single() with { Priority = 99 }] };
            var result = await store.ApplyTemplateAsync(_ => (changedRecord, loaded.Fingerprints));
            Assert.False(result.ChangedAnything);
            Assert.Equal(1234, store.Current.TargetGroups.Single().Port);
            Assert.Empty(store.Current.Rules);
        }
    }
}
