using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Elbe.DataPlane.Listeners.Tls;
using Elbe.EndToEnd.Tests.Infrastructure;
using Elbe.Tests.Certificates;

namespace Elbe.EndToEnd.Tests;

/// <summary>HTTPS listeners: TLS termination with an imported certificate, the headers targets see, rotation, redirects and handshake isolation.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TlsListenerTests
{
    [Fact]
    public async Task Https_listener_terminates_tls_and_forwards_with_https_forwarded_headers()
    {
        await using var setup = await HttpsSetup.StartAsync();
        var arn = await setup.ImportAsync(TestCertificates.Server("www.example.com"));
        await setup.AddHttpsListenerAsync(arn);

        var echoed = await setup.EchoOverHttpsAsync();

        Assert.Equal(("https", "8443"), (echoed.Header("X-Forwarded-Proto"), echoed.Header("X-Forwarded-Port")));
        Assert.Null(echoed.Header("x-amzn-tls-version"));
    }

    [Fact]
    public async Task Tls_version_and_cipher_headers_are_added_when_the_attribute_asks_for_them()
    {
        await using var setup = await HttpsSetup.StartAsync(new Dictionary<string, string> { ["routing.http.x_amzn_tls_version_and_cipher_suite.enabled"] = "true" });
        var arn = await setup.ImportAsync(TestCertificates.Server("www.example.com"));
        await setup.AddHttpsListenerAsync(arn);
        using var client = HttpsSetup.InsecureClient(ssl =>
        {
            ssl.EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12;
            ssl.CipherSuitesPolicy = new CipherSuitesPolicy([TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]);
        });

        var echoed = await setup.EchoOverHttpsAsync(client);

        Assert.Equal(("TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384"), (echoed.Header("x-amzn-tls-version"), echoed.Header("x-amzn-tls-cipher-suite")));
    }

    [Fact]
    public async Task Listener_attributes_rename_the_tls_headers()
    {
        await using var setup = await HttpsSetup.StartAsync(new Dictionary<string, string> { ["routing.http.x_amzn_tls_version_and_cipher_suite.enabled"] = "true" });
        var arn = await setup.ImportAsync(TestCertificates.Server("www.example.com"));
        await setup.AddHttpsListenerAsync(arn, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", listenerAttributes: new Dictionary<string, string>
        {
            ["routing.http.request.x_amzn_tls_version.header_name"] = "X-Tls-Version",
            ["routing.http.request.x_amzn_tls_cipher_suite.header_name"] = "X-Tls-Cipher",
        });

        var echoed = await setup.EchoOverHttpsAsync();

        Assert.Equal(("TLSv1.3", "TLS_AES_128_GCM_SHA256"), (echoed.Header("X-Tls-Version"), echoed.Header("X-Tls-Cipher")));
        Assert.Null(echoed.Header("x-amzn-tls-version"));
    }

    [Fact]
    public async Task A_malformed_request_over_tls_gets_the_load_balancers_400_page()
    {
        await using var setup = await HttpsSetup.StartAsync();
        var arn = await setup.ImportAsync(TestCertificates.Server("www.example.com"));
        await setup.AddHttpsListenerAsync(arn);

        var result = await ExternalTool.RunAsync("openssl",
            ["s_client", "-quiet", "-ign_eof", "-connect", $"{setup.Node}:{HttpsSetup.Port}", "-servername", "www.example.com"],
            standardInput: "GET /a b c HTTP/1.1\r\nHost: x\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400 Bad Request", result.StandardOutput);
        Assert.Contains("Server: awselb/2.0", result.StandardOutput);
    }

    [Fact]
    public async Task A_listener_switched_from_http_to_https_on_its_port_serves_tls_there()
    {
        await using var setup = await HttpsSetup.StartAsync();
        var arn = await setup.ImportAsync(TestCertificates.Server("www.example.com"));
        using (var plain = await setup.Elbe.GetAsync("/echo")) Assert.Equal(HttpStatusCode.OK, plain.StatusCode);

        await setup.Elbe.ReloadAsync(new CfnTemplate()
            .LoadBalancer()
            .TargetGroup(HttpsSetup.TargetGroupName, [setup.Backend.Port])
            .HttpsListener(CfnActions.Forward(HttpsSetup.TargetGroupName), arn, name: CfnTemplate.DefaultListener, port: CfnTemplate.ListenerPort)
            .ToString());
        using var client = HttpsSetup.InsecureClient();
        using var secure = await client.GetAsync(new Uri($"https://{setup.Node}:{CfnTemplate.ListenerPort}/echo"));
        var plainAfter = await ExternalTool.RunAsync("curl", ["-sS", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}", $"http://{setup.Node}:{CfnTemplate.ListenerPort}/echo"]);

        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.NotEqual("200", plainAfter.StandardOutput);
    }

    [Fact]
    public async Task The_imported_chain_is_sent_after_the_leaf_and_verifies_against_the_root()
    {
        var root = TestCertificates.Authority("Elbe Test Root");
        var intermediate = TestCertificates.Intermediate(root, "Elbe Test Intermediate");
        await using var setup = await HttpsSetup.StartAsync();
        var arn = await setup.ImportAsync(TestCertificates.ServerIssuedBy(intermediate, "chained.example.com"));
        await setup.AddHttpsListenerAsync(arn);
        await File.WriteAllTextAsync(setup.FilePath("root.pem"), root.CertificatePem);

        var result = await setup.OpenSslClientAsync("-servername", "chained.example.com", "-CAfile", setup.FilePath("root.pem"), "-verify_return_error");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Matches(@"(?m)^ 1 s:.*CN = Elbe Test Intermediate", result.StandardOutput);
        Assert.Contains("Verify return code: 0 (ok)", result.StandardOutput);
    }

    [Fact]
    public async Task Rotated_certificate_is_used_by_new_handshakes_while_an_open_connection_keeps_working()
    {
        await using var setup = await HttpsSetup.StartAsync();
        var arn = await setup.ImportAsync(TestCertificates.Server("before.example.com"));
        await setup.AddHttpsListenerAsync(arn);
        var seen = new List<string>();
        using var kept = KeepAliveClient(seen);

        using (var first = await kept.GetAsync(setup.HttpsUrl())) Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await setup.ImportAsync(TestCertificates.Server("after.example.com"), arn);
        using var again = await kept.GetAsync(setup.HttpsUrl());
        var seenByNewConnection = new List<string>();
        using var fresh = KeepAliveClient(seenByNewConnection);
        using var afterRotation = await fresh.GetAsync(setup.HttpsUrl());

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(["before.example.com"], seen);
        Assert.Equal(HttpStatusCode.OK, afterRotation.StatusCode);
        Assert.Equal(["after.example.com"], seenByNewConnection);
    }

    [Fact]
    public async Task Http_listener_redirects_to_the_https_listener_which_serves_the_request()
    {
        await using var setup = await HttpsSetup.StartAsync();
        var arn = await setup.ImportAsync(TestCertificates.Server("www.example.com"));
        await setup.Elbe.ReloadAsync(new CfnTemplate()
            .LoadBalancer()
            .TargetGroup(HttpsSetup.TargetGroupName, [setup.Backend.Port])
            .Listener($"""
                - Type: redirect
                  RedirectConfig:
                    Protocol: HTTPS
                    Port: '{HttpsSetup.Port}'
                    StatusCode: HTTP_301
                """)
            .HttpsListener(CfnActions.Forward(HttpsSetup.TargetGroupName), arn)
            .ToString());

        using var redirect = await setup.Elbe.GetAsync("/echo?x=1");
        var location = redirect.Headers.Location;
        using var client = HttpsSetup.InsecureClient();
        using var followed = await client.GetAsync(location);
        var echoed = System.Text.Json.JsonSerializer.Deserialize<EchoedRequest>(await followed.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.Equal($"https://{setup.Node}:{HttpsSetup.Port}/echo?x=1", location?.ToString());
        Assert.Equal(("https", "?x=1"), (echoed.Header("X-Forwarded-Proto"), echoed.QueryString));
    }

    [Fact]
    public async Task Stalled_partial_and_garbage_handshakes_do_not_hold_up_other_connections()
    {
        await using var setup = await HttpsSetup.StartAsync();
        var arn = await setup.ImportAsync(TestCertificates.Server("www.example.com"));
        await setup.AddHttpsListenerAsync(arn);
        var endpoint = new IPEndPoint(IPAddress.Parse(setup.Node), HttpsSetup.Port);
        var sockets = new List<Socket>();
        try
        {
            for (var i = 0; i < 10; i++) sockets.Add(await ConnectAsync(endpoint, []));
            // A record header announcing a ClientHello that never comes.
            for (var i = 0; i < 10; i++) sockets.Add(await ConnectAsync(endpoint, [0x16, 0x03, 0x01, 0x02, 0x00, 0x01]));
            var garbage = new List<Socket>();
            for (var i = 0; i < 5; i++) garbage.Add(await ConnectAsync(endpoint, Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n")));
            for (var i = 0; i < 5; i++) garbage.Add(await ConnectAsync(endpoint, [.. Enumerable.Range(0, 64).Select(b => (byte)(b * 37))]));
            sockets.AddRange(garbage);

            var result = await setup.CurlAsync("www.example.com", "/echo", "-o", "/dev/null", "-w", "%{http_code}");
            Assert.Equal("200", result.StandardOutput);
            foreach (var socket in garbage)
                Assert.True(await IsClosedByPeerAsync(socket, TimeSpan.FromSeconds(5)), "A connection that sent garbage was left open.");
        }
        finally
        {
            foreach (var socket in sockets) socket.Dispose();
        }
    }

    [Fact]
    public async Task A_client_that_never_finishes_its_handshake_is_disconnected_after_the_handshake_timeout()
    {
        await using var setup = await HttpsSetup.StartAsync();
        var arn = await setup.ImportAsync(TestCertificates.Server("www.example.com"));
        await setup.AddHttpsListenerAsync(arn);
        using var silent = await ConnectAsync(new IPEndPoint(IPAddress.Parse(setup.Node), HttpsSetup.Port), []);
        var clock = Stopwatch.StartNew();

        var closed = await IsClosedByPeerAsync(silent, ListenerTls.HandshakeTimeout + TimeSpan.FromSeconds(10));

        Assert.True(closed, $"A silent client was still connected after {clock.Elapsed.TotalSeconds:0} s.");
    }

    private static HttpClient KeepAliveClient(List<string> subjects)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            MaxConnectionsPerServer = 1,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    lock (subjects) subjects.Add(((X509Certificate2)certificate!).GetNameInfo(X509NameType.SimpleName, false));
                    return true;
                },
            },
        };
        return new HttpClient(handler) { Timeout = BoundHttpClient.RequestTimeout };
    }

    private static async Task<Socket> ConnectAsync(IPEndPoint endpoint, byte[] send)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await socket.ConnectAsync(endpoint, timeout.Token);
        if (send.Length > 0) await socket.SendAsync(send, SocketFlags.None, timeout.Token);
        return socket;
    }

    /// <summary>True when the peer closes (or resets) the connection within the time; anything it sends first is read and dropped.</summary>
    private static async Task<bool> IsClosedByPeerAsync(Socket socket, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var buffer = new byte[4096];
        try
        {
            for (var reads = 0; reads < 1000; reads++)
                if (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) == 0) return true;
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
