using System.Net.Security;
using System.Text.Json;
using Elbe.Tests.Certificates;

namespace Elbe.EndToEnd.Tests.Infrastructure;

/// <summary>
/// An Elbe server with an echo backend behind an HTTP listener, ready for an HTTPS listener: tests import their
/// certificates into it (as ACM would) and then rewrite the template with the HTTPS listener naming their ARNs.
/// Also runs openssl, curl and the aws CLI against it, and keeps a directory for the files those tools read.
/// </summary>
public sealed class HttpsSetup : IAsyncDisposable
{
    public const string TargetGroupName = "Echo";
    public const int Port = CfnTemplate.HttpsListenerPort;

    private readonly IReadOnlyDictionary<string, string>? _loadBalancerAttributes;

    private HttpsSetup(BackendServer backend, ElbeHarness elbe, DirectoryInfo files, IReadOnlyDictionary<string, string>? loadBalancerAttributes)
    {
        Backend = backend;
        Elbe = elbe;
        Files = files;
        _loadBalancerAttributes = loadBalancerAttributes;
    }

    public BackendServer Backend { get; }
    public ElbeHarness Elbe { get; }
    public DirectoryInfo Files { get; }
    public string Node => Elbe.NodeAddress();

    public static async Task<HttpsSetup> StartAsync(IReadOnlyDictionary<string, string>? loadBalancerAttributes = null)
    {
        var backend = await BackendServer.StartAsync("echo");
        var files = Directory.CreateTempSubdirectory("elbe-tls-");
        try
        {
            var elbe = await ElbeHarness.StartAsync(BaseTemplate(backend, loadBalancerAttributes).ToString());
            return new HttpsSetup(backend, elbe, files, loadBalancerAttributes);
        }
        catch
        {
            await backend.DisposeAsync();
            files.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>The set-up with a certificate for www.example.com already serving an HTTPS listener under <paramref name="sslPolicy"/>.</summary>
    public static async Task<HttpsSetup> StartWithListenerAsync(string? sslPolicy = null)
    {
        var setup = await StartAsync();
        try
        {
            var arn = await setup.ImportAsync(TestCertificates.Server("www.example.com"));
            await setup.AddHttpsListenerAsync(arn, sslPolicy);
            return setup;
        }
        catch
        {
            await setup.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// An HTTPS listener whose default certificate names default.example.com, with a certificate for
    /// listed.example.com added by a template ListenerCertificate resource (SNI picks between them).
    /// </summary>
    public async Task AddSniListenerAsync()
    {
        var defaultArn = await ImportAsync(TestCertificates.Server("default.example.com"));
        var listed = await ImportAsync(TestCertificates.Server("listed.example.com"));
        await Elbe.ReloadAsync(Template()
            .HttpsListener(CfnActions.Forward(TargetGroupName), defaultArn)
            .ListenerCertificates("Extra", [listed])
            .ToString());
    }

    /// <summary>The load balancer, the echo target group and an HTTP listener forwarding to it.</summary>
    public CfnTemplate Template() => BaseTemplate(Backend, _loadBalancerAttributes);

    private static CfnTemplate BaseTemplate(BackendServer backend, IReadOnlyDictionary<string, string>? attributes) =>
        new CfnTemplate()
            .LoadBalancer(attributes: attributes)
            .TargetGroup(TargetGroupName, [backend.Port])
            .Listener(CfnActions.Forward(TargetGroupName));

    /// <summary>
    /// Imports a certificate through the server's ACM entry point (with <paramref name="arn"/>, re-imports, i.e. rotates
    /// it) and waits until the data plane has it, so a template reload that follows is not mistaken for this apply.
    /// </summary>
    public async Task<string> ImportAsync(TestCertificate certificate, string? arn = null)
    {
        var generation = Elbe.Server.Generation;
        var imported = await Elbe.Server.ImportCertificateAsync(certificate.CertificatePem, certificate.PrivateKeyPem,
            string.IsNullOrEmpty(certificate.ChainPem) ? null : certificate.ChainPem, arn);
        await Elbe.Server.WaitForGenerationAsync(generation + 1, ElbeHarness.ReloadTimeout);
        return imported;
    }

    /// <summary>Adds an HTTPS listener forwarding to the echo group, and waits until it is applied.</summary>
    public Task AddHttpsListenerAsync(string certificateArn, string? sslPolicy = null, string? mutualAuthentication = null,
        IReadOnlyDictionary<string, string>? listenerAttributes = null) =>
        Elbe.ReloadAsync(Template()
            .HttpsListener(CfnActions.Forward(TargetGroupName), certificateArn, sslPolicy: sslPolicy, mutualAuthentication: mutualAuthentication, attributes: listenerAttributes)
            .ToString());

    public string HttpsListenerArn => Elbe.Server.Configuration.Listeners.Single(l => l.Port == Port).Arn;

    public Uri HttpsUrl(string pathAndQuery = "/echo") => new($"https://{Node}:{Port}{pathAndQuery}");

    /// <summary>An HttpClient that trusts any server certificate (they are self-signed) and reports the one it saw.</summary>
    public static HttpClient InsecureClient(Action<SslClientAuthenticationOptions>? configure = null)
    {
        var ssl = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true };
        configure?.Invoke(ssl);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMilliseconds(500),
            SslOptions = ssl,
        };
        return new HttpClient(handler) { Timeout = BoundHttpClient.RequestTimeout };
    }

    public async Task<EchoedRequest> EchoOverHttpsAsync(HttpClient? client = null, Action<HttpRequestMessage>? configure = null)
    {
        using var owned = client is null ? InsecureClient() : null;
        using var request = new HttpRequestMessage(HttpMethod.Get, HttpsUrl());
        configure?.Invoke(request);
        using var response = await (client ?? owned!).SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /echo over HTTPS answered {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<EchoedRequest>(body) ?? throw new Xunit.Sdk.XunitException("The backend's echo was empty.");
    }

    /// <summary><c>openssl s_client -connect node:port</c> plus the arguments; stdin is closed so it ends after the handshake.</summary>
    public Task<ExternalToolResult> OpenSslClientAsync(params string[] arguments) =>
        ExternalTool.RunAsync("openssl", ["s_client", "-connect", $"{Node}:{Port}", .. arguments]);

    /// <summary>curl aimed at <paramref name="host"/>:port resolved to the node, so SNI carries the host name.</summary>
    public Task<ExternalToolResult> CurlAsync(string host, string pathAndQuery, params string[] arguments) =>
        ExternalTool.RunAsync("curl", ["-sS", "-k", "--max-time", "10", "--connect-to", $"{host}:{Port}:{Node}:{Port}", .. arguments, $"https://{host}:{Port}{pathAndQuery}"]);

    /// <summary>The aws CLI against this server's API, isolated from any AWS configuration on the machine.</summary>
    public Task<ExternalToolResult> AwsAsync(params string[] arguments)
    {
        var credentials = Elbe.Server.Credentials ?? throw new InvalidOperationException("The server runs without an API.");
        var emptyConfig = Path.Combine(Files.FullName, "aws-config");
        if (!File.Exists(emptyConfig)) File.WriteAllText(emptyConfig, "");
        var environment = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = credentials.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = credentials.SecretAccessKey,
            ["AWS_DEFAULT_REGION"] = "us-east-1",
            ["AWS_CONFIG_FILE"] = emptyConfig,
            ["AWS_SHARED_CREDENTIALS_FILE"] = emptyConfig,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_PAGER"] = "",
            ["AWS_MAX_ATTEMPTS"] = "1",
        };
        return ExternalTool.RunAsync("aws", [.. arguments, "--endpoint-url", $"http://{Elbe.Slice.ApiEndpoint}", "--output", "json"], environment: environment, timeout: TimeSpan.FromSeconds(60));
    }

    public string FilePath(string name) => Path.Combine(Files.FullName, name);

    public async ValueTask DisposeAsync()
    {
        await Elbe.DisposeAsync();
        await Backend.DisposeAsync();
        try { Files.Delete(recursive: true); }
        catch (IOException) { }
    }
}
