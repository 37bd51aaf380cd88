using System.Text.Json;
using Elbe.Api.Tests.Infrastructure;

namespace Elbe.Api.Tests.LoadBalancers;

/// <summary>The real AWS CLI against Elbe: create, wait, describe, attributes, delete and the deleted waiter.</summary>
public sealed class LoadBalancerCliTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    private AwsCli Cli => server.Cli;

    [Fact]
    public async Task The_cli_creates_waits_for_describes_and_deletes_a_load_balancer()
    {
        var name = UniqueName.Next("cli");
        var created = (await Cli.RunAsync("elbv2", "create-load-balancer", "--name", name, "--subnets", ApiSubnets.SubnetA, ApiSubnets.SubnetB,
            "--security-groups", "sg-0123456789abcdef0", "--tags", "Key=env,Value=test")).AssertSuccess();
        var lb = created.Json.GetProperty("LoadBalancers")[0];
        var arn = lb.GetProperty("LoadBalancerArn").GetString()!;
        Assert.Equal("active", lb.GetProperty("State").GetProperty("Code").GetString());
        Assert.Equal("application", lb.GetProperty("Type").GetString());

        // The waiter polls every 15 s; an active load balancer must satisfy it on the first poll.
        var started = DateTime.UtcNow;
        (await Cli.RunAsync("elbv2", "wait", "load-balancer-available", "--load-balancer-arns", arn)).AssertSuccess();
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "The waiter needed more than one poll.");

        var described = (await Cli.RunAsync("elbv2", "describe-load-balancers", "--names", name)).AssertSuccess().Json.GetProperty("LoadBalancers");
        var one = Assert.Single(described.EnumerateArray());
        Assert.Equal(arn, one.GetProperty("LoadBalancerArn").GetString());
        Assert.Matches($@"^{name}-\d+\.us-east-1\.elb\.amazonaws\.com$", one.GetProperty("DNSName").GetString());
        Assert.Equal("internet-facing", one.GetProperty("Scheme").GetString());
        Assert.Equal(JsonValueKind.String, one.GetProperty("CreatedTime").ValueKind);
        var zones = one.GetProperty("AvailabilityZones").EnumerateArray().ToList();
        Assert.Equal(2, zones.Count);
        Assert.All(zones, z => Assert.StartsWith("127.", z.GetProperty("LoadBalancerAddresses")[0].GetProperty("IpAddress").GetString()));
        Assert.Equal("sg-0123456789abcdef0", one.GetProperty("SecurityGroups")[0].GetString());

        (await Cli.RunAsync("elbv2", "modify-load-balancer-attributes", "--load-balancer-arn", arn,
            "--attributes", "Key=idle_timeout.timeout_seconds,Value=90")).AssertSuccess();
        var attributes = (await Cli.RunAsync("elbv2", "describe-load-balancer-attributes", "--load-balancer-arn", arn)).AssertSuccess()
            .Json.GetProperty("Attributes").EnumerateArray().ToDictionary(a => a.GetProperty("Key").GetString()!, a => a.GetProperty("Value").GetString());
        Assert.Equal("90", attributes["idle_timeout.timeout_seconds"]);

        (await Cli.RunAsync("elbv2", "describe-load-balancers", "--names", "no-such-load-balancer")).AssertError("LoadBalancerNotFound");
        (await Cli.RunAsync("elbv2", "delete-load-balancer", "--load-balancer-arn", arn)).AssertSuccess();
        (await Cli.RunAsync("elbv2", "wait", "load-balancers-deleted", "--load-balancer-arns", arn)).AssertSuccess();
    }

    [Fact]
    public async Task The_cli_pages_through_every_load_balancer()
    {
        var names = Enumerable.Range(0, 3).Select(_ => UniqueName.Next("clip")).ToArray();
        foreach (var name in names)
            (await Cli.RunAsync("elbv2", "create-load-balancer", "--name", name, "--type", "network")).AssertSuccess();

        // A PageSize member in the model makes --page-size a manual page: the CLI hands NextMarker back for --marker.
        var seen = new HashSet<string?>();
        string? marker = null;
        for (var page = 0; page < 20; page++)
        {
            var arguments = new List<string> { "elbv2", "describe-load-balancers", "--page-size", "2" };
            if (marker is not null) arguments.AddRange(["--marker", marker]);
            var json = (await Cli.RunAsync([.. arguments])).AssertSuccess().Json;
            var members = json.GetProperty("LoadBalancers").EnumerateArray().ToList();
            Assert.InRange(members.Count, 1, 2);
            foreach (var lb in members) Assert.True(seen.Add(lb.GetProperty("LoadBalancerName").GetString()));
            marker = json.TryGetProperty("NextMarker", out var next) ? next.GetString() : null;
            if (marker is null) break;
        }
        Assert.Null(marker);
        Assert.Subset(seen, names.ToHashSet<string?>());
    }
}
