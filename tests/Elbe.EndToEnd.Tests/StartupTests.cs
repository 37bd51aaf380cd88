using System.Net;
using Elbe.EndToEnd.Tests.Infrastructure;
using Elbe.Hosting;

namespace Elbe.EndToEnd.Tests;

/// <summary>ElbeServer.StartAsync with templates that must be refused, and what it leaves behind.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task An_invalid_property_fails_startup_naming_file_line_and_property_path()
    {
        var template = new CfnTemplate()
            .LoadBalancer()
            .Listener(CfnActions.FixedResponse(200, "ok"))
            .Rule("BadRule", 10, """
                - Field: path-pattern
                  PathPatternConfig:
                    Values: [/x]
                """, """
                - Type: fixed-response
                  FixedResponseConfig:
                    StatusCode: '302'
                """)
            .ToString();

        var error = await StartExpectingFailureAsync(template);

        Assert.Contains(ElbeHarness.TemplateFileName, error.Message, StringComparison.Ordinal);
        Assert.Contains("FixedResponseConfig.StatusCode", error.Message, StringComparison.Ordinal);
        Assert.Equal(TemplateLocation.LineOf(template, "StatusCode: '302'"), TemplateLocation.LineNamedAfterFile(error.Message, ElbeHarness.TemplateFileName));
    }

    [Fact]
    public async Task Broken_yaml_fails_startup_naming_file_and_line()
    {
        var template = new CfnTemplate()
            .LoadBalancer()
            .Listener(CfnActions.FixedResponse(200, "ok"))
            .ToString()
            .Replace("      Protocol: HTTP\n", "      Protocol: HTTP: broken\n", StringComparison.Ordinal);

        var error = await StartExpectingFailureAsync(template);

        Assert.Contains(ElbeHarness.TemplateFileName, error.Message, StringComparison.Ordinal);
        Assert.Equal(TemplateLocation.LineOf(template, "HTTP: broken"), TemplateLocation.LineNamedAfterFile(error.Message, ElbeHarness.TemplateFileName));
    }

    [Fact]
    public async Task A_reference_to_a_missing_resource_fails_startup_naming_it()
    {
        var template = new CfnTemplate()
            .LoadBalancer()
            .Listener(CfnActions.Forward("NoSuchGroup"))
            .ToString();

        var error = await StartExpectingFailureAsync(template);

        Assert.Contains(ElbeHarness.TemplateFileName, error.Message, StringComparison.Ordinal);
        Assert.Contains("NoSuchGroup", error.Message, StringComparison.Ordinal);
        Assert.Equal(TemplateLocation.LineOf(template, "!Ref NoSuchGroup"), TemplateLocation.LineNamedAfterFile(error.Message, ElbeHarness.TemplateFileName));
    }

    [Fact]
    public async Task A_failed_start_leaves_the_addresses_free_for_the_next_start()
    {
        var slice = LoopbackSubnets.Allocate();
        var directory = Directory.CreateTempSubdirectory("elbe-e2e-");
        try
        {
            var path = Path.Combine(directory.FullName, ElbeHarness.TemplateFileName);
            var good = new CfnTemplate().LoadBalancer().Listener(CfnActions.FixedResponse(200, "second start")).ToString();
            // A valid listener first, then a broken rule: a loader that binds as it goes would leave the port taken.
            await File.WriteAllTextAsync(path, new CfnTemplate().LoadBalancer().Listener(CfnActions.FixedResponse(200, "first"))
                .Rule("Broken", 1, "- Field: path-pattern\n  PathPatternConfig:\n    Values: [/x]", "- Type: no-such-action").ToString());
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
                await Assert.ThrowsAnyAsync<Exception>(() => ElbeServer.StartAsync(ElbeHarness.Options(path, directory, slice, 0.1), cancellationToken: timeout.Token));

            await File.WriteAllTextAsync(path, good);
            using var startTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await using var server = await ElbeServer.StartAsync(ElbeHarness.Options(path, directory, slice, 0.1), cancellationToken: startTimeout.Token);
            Assert.Equal(slice.FirstNodeAddress, server.LoadBalancer(CfnTemplate.DefaultLoadBalancer).Nodes[0].IpAddress);
            using var client = BoundHttpClient.Create();
            using var response = await client.GetAsync($"http://{slice.FirstNodeAddress}:{CfnTemplate.ListenerPort}/");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("second start", await response.Content.ReadAsStringAsync());
        }
        finally
        {
            try { directory.Delete(recursive: true); }
            catch (IOException) { }
        }
    }

    private static async Task<Exception> StartExpectingFailureAsync(string template)
    {
        try
        {
            await using var elbe = await ElbeHarness.StartAsync(template);
        }
        // NotImplementedException means the product is unfinished, not that it refused the template; let it surface as is.
        catch (Exception error) when (error is not NotImplementedException)
        {
            return error;
        }
        throw new Xunit.Sdk.XunitException("ElbeServer.StartAsync accepted a broken template.");
    }
}
