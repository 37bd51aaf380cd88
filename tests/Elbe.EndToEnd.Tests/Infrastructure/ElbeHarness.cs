using System.Text.Json;
using Elbe.Hosting;
using Elbe.Tests.Certificates;

namespace Elbe.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One ElbeServer driven from a template file in its own temp directory, on its own loopback slice, with a
/// client aimed at the first node of a load balancer. Template edits go through the file, exactly as a user's would.
/// </summary>
public sealed class ElbeHarness : IAsyncDisposable
{
    public const string TemplateFileName = "e2e-stack.yaml";
    /// <summary>
    /// A bound on waiting for an apply, not a speed requirement: under the whole solution's parallel test run on two
    /// CPUs an apply that starts TLS listeners once took over 10 s.
    /// </summary>
    public static readonly TimeSpan ReloadTimeout = TimeSpan.FromSeconds(30);

    private readonly DirectoryInfo directory;

    private ElbeHarness(ElbeServer server, DirectoryInfo directory, LoopbackSlice slice)
    {
        Server = server;
        this.directory = directory;
        Slice = slice;
        Client = BoundHttpClient.Create();
    }

    public ElbeServer Server { get; }
    public LoopbackSlice Slice { get; }
    public HttpClient Client { get; }
    public string TemplatePath => Path.Combine(directory.FullName, TemplateFileName);

    public static Task<ElbeHarness> StartAsync(string template, double timeScale = 0.1) =>
        StartAsync(template, LoopbackSubnets.Allocate(), timeScale);

    /// <summary>
    /// Starts with the load balancer alone, imports a self-signed certificate (as ACM would) and then applies the
    /// template made with its ARN: for templates whose HTTPS listeners must name a certificate that exists.
    /// </summary>
    public static async Task<ElbeHarness> StartWithCertificateAsync(Func<string, CfnTemplate> template, double timeScale = 0.1)
    {
        var elbe = await StartAsync(new CfnTemplate().LoadBalancer().ToString(), timeScale);
        try
        {
            var certificate = TestCertificates.Server("elbe.test");
            var generation = elbe.Server.Generation;
            var arn = await elbe.Server.ImportCertificateAsync(certificate.CertificatePem, certificate.PrivateKeyPem);
            await elbe.Server.WaitForGenerationAsync(generation + 1, ReloadTimeout);
            await elbe.ReloadAsync(template(arn).ToString());
            return elbe;
        }
        catch
        {
            await elbe.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts on a slice the caller allocated, for tests that place targets in its subnets before the template exists.</summary>
    /// <param name="udpFlowCapacity">UDP flows per NLB node socket; small values let tests reach the limit.</param>
    public static async Task<ElbeHarness> StartAsync(string template, LoopbackSlice slice, double timeScale = 0.1, int? udpFlowCapacity = null)
    {
        var directory = Directory.CreateTempSubdirectory("elbe-e2e-");
        try
        {
            var path = Path.Combine(directory.FullName, TemplateFileName);
            await File.WriteAllTextAsync(path, template);
            using var startTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var options = Options(path, directory, slice, timeScale);
            if (udpFlowCapacity is { } capacity) options = options with { UdpFlowCapacity = capacity };
            var server = await ElbeServer.StartAsync(options, cancellationToken: startTimeout.Token);
            return new ElbeHarness(server, directory, slice);
        }
        catch
        {
            TryDelete(directory);
            throw;
        }
    }

    public static ElbeServerOptions Options(string templatePath, DirectoryInfo directory, LoopbackSlice slice, double timeScale) => new()
    {
        ConfigPath = templatePath,
        DataDirectory = Path.Combine(directory.FullName, "data"),
        ApiEndpoint = slice.ApiEndpoint,
        Subnets = slice.Subnets,
        TimeScale = timeScale,
    };

    public string NodeAddress(string loadBalancer = CfnTemplate.DefaultLoadBalancer) =>
        Server.LoadBalancer(loadBalancer).Nodes[0].IpAddress;

    public Uri Url(string pathAndQuery, int port = CfnTemplate.ListenerPort, string loadBalancer = CfnTemplate.DefaultLoadBalancer) =>
        new($"http://{NodeAddress(loadBalancer)}:{port}{pathAndQuery}");

    public Task<HttpResponseMessage> GetAsync(string pathAndQuery) => Client.GetAsync(Url(pathAndQuery));

    /// <summary>Sends a GET and returns which backend answered (its X-Backend header), asserting the load balancer forwarded it.</summary>
    public async Task<string> GetBackendAsync(string pathAndQuery = "/", Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(pathAndQuery));
        configure?.Invoke(request);
        using var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {pathAndQuery} answered {(int)response.StatusCode}: {body}");
        return response.Headers.TryGetValues("X-Backend", out var values)
            ? values.Single()
            : throw new Xunit.Sdk.XunitException($"GET {pathAndQuery} was not answered by a backend (no X-Backend header): {body}");
    }

    /// <summary>Sends a request to a backend's /echo and returns what the backend received.</summary>
    public async Task<EchoedRequest> EchoAsync(Action<HttpRequestMessage>? configure = null, HttpClient? client = null, string pathAndQuery = "/echo")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(pathAndQuery));
        configure?.Invoke(request);
        using var response = await (client ?? Client).SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {pathAndQuery} answered {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<EchoedRequest>(body)
            ?? throw new Xunit.Sdk.XunitException("The backend's echo was empty.");
    }

    /// <summary>Writes a new template and waits until the server has applied it.</summary>
    public async Task ReloadAsync(string template)
    {
        var generation = Server.Generation;
        await ReplaceTemplateAsync(template);
        await WaitForGenerationAsync(generation + 1, orRefused: true);
        Assert.True(Server.LastReloadError is null, $"The template edit was refused: {Server.LastReloadError}");
        Assert.True(Server.Generation > generation, $"Generation stayed at {generation} after a valid template edit.");
    }

    /// <summary>Writes a template that must be refused, waits for the refusal and returns its error.</summary>
    public async Task<Exception> ReloadExpectingRefusalAsync(string template)
    {
        var generation = Server.Generation;
        await ReplaceTemplateAsync(template);
        await WaitForGenerationAsync(generation + 1, orRefused: true);
        Assert.True(Server.Generation == generation, $"A broken template was applied: generation went from {generation} to {Server.Generation}.");
        return Server.LastReloadError ?? throw new Xunit.Sdk.XunitException("The broken template was neither applied nor refused (LastReloadError is null).");
    }

    private async Task WaitForGenerationAsync(long generation, bool orRefused)
    {
        var wait = Server.WaitForGenerationAsync(generation, ReloadTimeout, orRefused);
        // A belt over the server's own timeout, so a wait that never completes fails the test instead of hanging it.
        var finished = await Task.WhenAny(wait, Task.Delay(ReloadTimeout + TimeSpan.FromSeconds(5)));
        Assert.True(finished == wait, $"WaitForGenerationAsync({generation}) did not complete within {ReloadTimeout.TotalSeconds} s.");
        await wait;
    }

    /// <summary>Replaces the file in one rename, so the watcher never sees a half-written template.</summary>
    private async Task ReplaceTemplateAsync(string template)
    {
        var staging = Path.Combine(directory.FullName, "staging.tmp");
        await File.WriteAllTextAsync(staging, template);
        File.Move(staging, TemplatePath, overwrite: true);
    }

    public string TargetGroupArn(string targetGroup) => Server.TargetGroup(targetGroup).Arn;

    public TargetHealthDescription? TargetHealth(string targetGroup, int port) =>
        Server.DescribeTargetHealth(TargetGroupArn(targetGroup)).FirstOrDefault(t => t.Target.Port == port);

    public Task<TargetHealthDescription> WaitForTargetStateAsync(string targetGroup, int port, string state, TimeSpan? timeout = null) =>
        Eventually.ValueAsync(
            () => TargetHealth(targetGroup, port),
            health => health?.TargetHealth.State == state,
            health => $"target 127.0.0.1:{port} of {targetGroup} should be {state} but is {health?.TargetHealth.ToString() ?? "not listed"}",
            timeout);

    public async Task WaitForHealthyAsync(string targetGroup, params int[] ports)
    {
        foreach (var port in ports)
            await WaitForTargetStateAsync(targetGroup, port, "healthy");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        var dispose = Server.DisposeAsync().AsTask();
        // A shutdown that hangs must not hang the suite; the test's own assertions have already run.
        if (await Task.WhenAny(dispose, Task.Delay(TimeSpan.FromSeconds(10))) == dispose)
            await dispose;
        TryDelete(directory);
    }

    private static void TryDelete(DirectoryInfo directory)
    {
        try { directory.Delete(recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
