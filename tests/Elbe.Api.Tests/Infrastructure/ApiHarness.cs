using Elbe.Hosting;
using Elbe.Model.Resources;

namespace Elbe.Api.Tests.Infrastructure;

/// <summary>
/// One ElbeServer (API only, or with a template) on 127.0.0.1 and a free port, with its own data directory and loopback
/// subnets, plus a signed client and an AWS CLI aimed at it. <see cref="RestartAsync"/> starts a new server on the
/// same data directory, to test what survives a restart.
/// </summary>
public sealed class ApiHarness : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly DirectoryInfo _directory;

    private ApiHarness(ElbeServerOptions options, ElbeServer server, DirectoryInfo directory)
    {
        Options = options;
        Server = server;
        _directory = directory;
        BaseUrl = new Uri($"http://{options.ApiEndpoint}/");
        Client = new SignedApiClient(BaseUrl);
        Cli = new AwsCli(BaseUrl);
    }

    public ElbeServerOptions Options { get; }
    public ElbeServer Server { get; private set; }
    public Uri BaseUrl { get; }
    public SignedApiClient Client { get; }
    public AwsCli Cli { get; }
    public string DataDirectory => Options.DataDirectory;
    public IReadOnlyList<Subnet> Subnets => Options.Subnets!;

    /// <summary>A client for the Classic ELB API (Version 2012-06-01) on the same endpoint.</summary>
    public SignedApiClient ClassicClient() => new(BaseUrl) { Version = SignedApiClient.ClassicVersion };

    /// <param name="template">A CloudFormation template to serve alongside the API (written to the harness directory), or null.</param>
    /// <param name="configure">Changes the server's options before it starts (host facts a test needs to fake).</param>
    public static async Task<ApiHarness> StartAsync(double timeScale = 0.1, string? template = null, Func<ElbeServerOptions, ElbeServerOptions>? configure = null)
    {
        var directory = Directory.CreateTempSubdirectory("elbe-api-");
        try
        {
            string? templatePath = null;
            if (template is not null) File.WriteAllText(templatePath = Path.Combine(directory.FullName, "stack.yaml"), template);
            var options = new ElbeServerOptions
            {
                ConfigPath = templatePath,
                ApiEndpoint = $"127.0.0.1:{FreePort.Next()}",
                DataDirectory = Path.Combine(directory.FullName, "data"),
                Subnets = ApiSubnets.Allocate(),
                TimeScale = timeScale,
                AccessKeyId = TestCredentials.AccessKeyId,
                SecretAccessKey = TestCredentials.SecretAccessKey,
            };
            if (configure is not null) options = configure(options);
            return new ApiHarness(options, await StartServerAsync(options), directory);
        }
        catch
        {
            TryDelete(directory);
            throw;
        }
    }

    /// <summary>Stops the server and starts a new one with the same options, data directory included.</summary>
    public async Task RestartAsync()
    {
        await StopServerAsync();
        Server = await StartServerAsync(Options);
    }

    private static async Task<ElbeServer> StartServerAsync(ElbeServerOptions options)
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        return await ElbeServer.StartAsync(options, cancellationToken: timeout.Token);
    }

    private async Task StopServerAsync()
    {
        var dispose = Server.DisposeAsync().AsTask();
        var finished = await Task.WhenAny(dispose, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.True(finished == dispose, "ElbeServer did not stop within 10 s.");
        await dispose;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try { await StopServerAsync(); }
        catch (Exception)
        {
            // The test already reported what failed; a server that will not stop must not hide that.
        }
        TryDelete(_directory);
    }

    private static void TryDelete(DirectoryInfo directory)
    {
        try { directory.Delete(recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
