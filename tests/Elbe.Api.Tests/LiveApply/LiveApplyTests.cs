using System.Net;
using Elbe.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Elbe.Api.Tests.LiveApply;

/// <summary>
/// API changes reach the data plane through the same snapshot path as the template: a rule created while traffic
/// flows takes effect within a second, and not one request fails while the listener swaps configurations.
/// </summary>
public sealed class LiveApplyTests
{
    [Fact]
    public async Task A_rule_created_under_load_takes_effect_without_a_failed_request()
    {
        await using var harness = await ApiHarness.StartAsync();
        await using var blue = await NamedBackend.StartAsync("blue");
        await using var green = await NamedBackend.StartAsync("green");
        var client = harness.Client;

        var lb = (await client.CallAsync("CreateLoadBalancer", new ApiRequestParameters()
                .Add("Name", UniqueName.Next("live"))
                .List("Subnets", harness.Subnets[0].SubnetId, harness.Subnets[1].SubnetId)))
            .AssertSuccess();
        var lbArn = lb.Value("LoadBalancerArn")!;
        var nodeAddress = lb.Value("IpAddress")!;
        var blueGroup = await CreateTargetGroupAsync(client, blue.Port);
        var greenGroup = await CreateTargetGroupAsync(client, green.Port);
        var listenerPort = FreePort.Next();
        var listener = (await client.CallAsync("CreateListener", new ApiRequestParameters()
                .Add("LoadBalancerArn", lbArn).Add("Protocol", "HTTP").Add("Port", listenerPort)
                .StructList("DefaultActions", a => a.Add("Type", "forward").Add("TargetGroupArn", blueGroup))))
            .AssertSuccess().Value("ListenerArn")!;

        using var http = new HttpClient { BaseAddress = new Uri($"http://{nodeAddress}:{listenerPort}"), Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal("blue", await EventuallyAnswersAsync(http, "/green/page", "blue"));

        var failures = 0;
        var greenAnswers = 0;
        var sent = 0;
        using var stopLoad = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        async Task LoadAsync()
        {
            // Bounded in count and time; the time bound is the one that ends it: the load must still be running
            // when the rule lands.
            for (var i = 0; i < 50_000 && !stopLoad.IsCancellationRequested; i++)
            {
                Interlocked.Increment(ref sent);
                try
                {
                    using var response = await http.GetAsync("/green/page", stopLoad.Token);
                    var body = await response.Content.ReadAsStringAsync(stopLoad.Token);
                    if (response.StatusCode != HttpStatusCode.OK) Interlocked.Increment(ref failures);
                    else if (body == "green") Interlocked.Increment(ref greenAnswers);
                }
                catch (OperationCanceledException) when (stopLoad.IsCancellationRequested)
                {
                    return;
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }
        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(LoadAsync)).ToArray();

        await Task.Delay(500);
        var rule = (await client.CallAsync("CreateRule", new ApiRequestParameters()
                .Add("ListenerArn", listener).Add("Priority", 10)
                .StructList("Conditions", c => c.Add("Field", "path-pattern").Struct("PathPatternConfig", p => p.List("Values", "/green/*")))
                .StructList("Actions", a => a.Add("Type", "forward").Add("TargetGroupArn", greenGroup))))
            .AssertSuccess().Value("RuleArn")!;
        // The committed rule is in the configuration the data plane runs within a second of the call returning.
        var applied = System.Diagnostics.Stopwatch.StartNew();
        while (!harness.Server.Configuration.Rules.Any(r => r.Arn == rule))
        {
            Assert.True(applied.Elapsed < TimeSpan.FromSeconds(1), "The new rule did not reach the data plane within a second.");
            await Task.Delay(10);
        }

        var seenBefore = Volatile.Read(ref greenAnswers);
        await Task.Delay(1500);
        stopLoad.Cancel();
        await Task.WhenAll(load);

        Assert.True(load.All(t => t.IsCompletedSuccessfully), "A load worker failed.");
        Assert.True(Volatile.Read(ref sent) > 50, $"The load barely ran ({sent} requests).");
        Assert.Equal(0, failures);
        Assert.True(greenAnswers > seenBefore, $"No request followed the new rule after it was applied ({greenAnswers} green answers in all).");
        Assert.Equal("green", await EventuallyAnswersAsync(http, "/green/page", "green"));
    }

    private static async Task<string> CreateTargetGroupAsync(SignedApiClient client, int port)
    {
        var arn = (await client.CallAsync("CreateTargetGroup", new ApiRequestParameters()
                .Add("Name", UniqueName.Next("live")).Add("Protocol", "HTTP").Add("Port", port).Add("VpcId", "vpc-00000000000000000")
                .Add("TargetType", "ip").Add("HealthCheckIntervalSeconds", 5).Add("HealthCheckTimeoutSeconds", 2)))
            .AssertSuccess().Value("TargetGroupArn")!;
        (await client.CallAsync("RegisterTargets", new ApiRequestParameters()
                .Add("TargetGroupArn", arn).StructList("Targets", t => t.Add("Id", "127.0.0.1").Add("Port", port))))
            .AssertSuccess();
        return arn;
    }

    private static async Task<string> EventuallyAnswersAsync(HttpClient http, string path, string expected)
    {
        var last = "";
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(path);
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                if (response.StatusCode == HttpStatusCode.OK && last.EndsWith(expected, StringComparison.Ordinal)) return expected;
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"{path} never answered '{expected}'; last answer: {last}");
    }

    private sealed class NamedBackend(WebApplication app, int port) : IAsyncDisposable
    {
        public int Port { get; } = port;

        public static async Task<NamedBackend> StartAsync(string name)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            var port = FreePort.Next();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
            var app = builder.Build();
            app.Run(context => context.Response.WriteAsync(name));
            await app.StartAsync();
            return new NamedBackend(app, port);
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
