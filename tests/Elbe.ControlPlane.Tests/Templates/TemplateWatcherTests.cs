using System.Collections.Concurrent;
using Elbe.ControlPlane.Templates;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Tests.Templates;

public sealed class TemplateWatcherTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(2.5);
    private readonly string _directory = Directory.CreateTempSubdirectory("elbe-watch-").FullName;
    private readonly string _path;
    private readonly BlockingCollection<object> _events = [];

    public TemplateWatcherTests()
    {
        _path = Path.Combine(_directory, "stack.yaml");
        File.WriteAllText(_path, SampleTemplates.Yaml);
    }

    private TemplateWatcher Start()
    {
        var context = new TemplateLoadContext();
        var initial = TemplateLoader.Load(_path, context);
        var watcher = new TemplateWatcher(_path, context with { Previous = initial }, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200));
        watcher.Loaded += c => _events.Add(c);
        watcher.Failed += e => _events.Add(e);
        watcher.Start();
        return watcher;
    }

    private object? Next(TimeSpan timeout) => _events.TryTake(out var e, timeout) ? e : null;

    [Fact]
    public void Edit_raises_Loaded_with_stable_addresses()
    {
        using var watcher = Start();
        var before = watcher.Current!;
        File.WriteAllText(_path, SampleTemplates.Yaml.Replace("HealthCheckPath: /health", "HealthCheckPath: /ready", StringComparison.Ordinal));
        var loaded = Assert.IsType<ElbeConfiguration>(Next(Wait));
        Assert.Equal("/ready", loaded.TargetGroups.Single().HealthCheck.Path);
        Assert.Equal(before.LoadBalancers.Single().Nodes.AsEnumerable(), loaded.LoadBalancers.Single().Nodes.AsEnumerable());
        Assert.Same(loaded, watcher.Current);
        Assert.Null(Next(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public void Rename_replace_raises_Loaded()
    {
        using var watcher = Start();
        var temp = Path.Combine(_directory, "stack.yaml.tmp");
        File.WriteAllText(temp, SampleTemplates.Yaml.Replace("Priority: 10", "Priority: 11", StringComparison.Ordinal));
        File.Move(temp, _path, overwrite: true);
        var loaded = Assert.IsType<ElbeConfiguration>(Next(Wait));
        Assert.Equal(11, loaded.Rules.Single().Priority);
    }

    [Fact]
    public void Invalid_edit_raises_only_Failed_and_keeps_the_current_configuration()
    {
        using var watcher = Start();
        var before = watcher.Current;
        File.WriteAllText(_path, SampleTemplates.Yaml.Replace("Port: 80", "Port: eighty", StringComparison.Ordinal));
        var failed = Assert.IsType<TemplateException>(Next(Wait));
        Assert.Contains("Port", failed.Message, StringComparison.Ordinal);
        Assert.Same(before, watcher.Current);
        Assert.Null(Next(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public void A_watcher_with_only_ContentChanged_listeners_notifies_without_loading()
    {
        var context = new TemplateLoadContext();
        var initial = TemplateLoader.Load(_path, context);
        using var watcher = new TemplateWatcher(_path, context with { Previous = initial }, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200));
        watcher.ContentChanged += () => _events.Add("changed");
        watcher.Start();

        // Even an edit that would not load is only reported as a change: loading is the listener's business.
        File.WriteAllText(_path, SampleTemplates.Yaml.Replace("Port: 80", "Port: eighty", StringComparison.Ordinal));
        Assert.Equal("changed", Next(Wait));
        Assert.Same(initial, watcher.Current);
        Assert.Null(Next(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public void Rewriting_the_same_content_raises_nothing()
    {
        using var watcher = Start();
        File.WriteAllText(_path, SampleTemplates.Yaml);
        Assert.Null(Next(TimeSpan.FromMilliseconds(700)));
    }

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
