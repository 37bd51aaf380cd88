using System.Collections.Immutable;
using Elbe.Model.Resources;
using Elbe.Model.Validation;
using static Elbe.Model.Tests.Validation.SampleConfiguration;

namespace Elbe.Model.Tests.Validation;

public class TargetGroupValidatorTests
{
    private static readonly HashSet<string> Known = ["i-0123456789abcdef0"];

    private static ModelValidationException Single(TargetGroup group)
    {
        var errors = TargetGroupValidator.Collect(group, Known);
        Assert.Single(errors);
        return errors[0];
    }

    private static TargetGroup WithHealthCheck(HealthCheckSettings hc) => TargetGroup() with { HealthCheck = hc };

    private static TargetGroup WithAttributes(params (string Key, string Value)[] attributes) =>
        TargetGroup() with { Attributes = attributes.ToImmutableSortedDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal) };

    [Fact]
    public void Sample_is_valid()
    {
        Assert.Empty(TargetGroupValidator.Collect(TargetGroup(), Known));
        TargetGroupValidator.Validate(TargetGroup(), Known);
    }

    [Fact]
    public void Port_required_for_instance_and_ip()
    {
        Assert.Equal("Port", Single(TargetGroup() with { Port = null }).Path);
        Assert.Equal("Port", Single(TargetGroup() with { Port = 65536 }).Path);
        Assert.Empty(TargetGroupValidator.Collect(TargetGroup() with { Port = null, Protocol = null, TargetType = "lambda", Targets = [new("arn:aws:lambda:us-east-1:000000000000:function:f")] }, Known));
    }

    [Theory]
    [InlineData(4, 2, "HealthCheckIntervalSeconds")]
    [InlineData(301, 5, "HealthCheckIntervalSeconds")]
    [InlineData(30, 1, "HealthCheckTimeoutSeconds")]
    [InlineData(30, 121, "HealthCheckTimeoutSeconds")]
    [InlineData(10, 10, "HealthCheckTimeoutSeconds")]
    public void Interval_and_timeout(int interval, int timeout, string path)
    {
        Assert.Equal(path, Single(WithHealthCheck(new HealthCheckSettings { IntervalSeconds = interval, TimeoutSeconds = timeout })).Path);
    }

    [Theory]
    [InlineData(1, 2, "HealthyThresholdCount")]
    [InlineData(11, 2, "HealthyThresholdCount")]
    [InlineData(5, 1, "UnhealthyThresholdCount")]
    [InlineData(5, 11, "UnhealthyThresholdCount")]
    public void Thresholds(int healthy, int unhealthy, string path)
    {
        Assert.Equal(path, Single(WithHealthCheck(new HealthCheckSettings { HealthyThresholdCount = healthy, UnhealthyThresholdCount = unhealthy })).Path);
    }

    [Fact]
    public void Path_protocol_and_port()
    {
        Assert.Equal("HealthCheckPath", Single(WithHealthCheck(new HealthCheckSettings { Path = "health" })).Path);
        Assert.Equal("HealthCheckPath", Single(WithHealthCheck(new HealthCheckSettings { Path = "/" + new string('p', 1024) })).Path);
        Assert.Equal("HealthCheckProtocol", Single(WithHealthCheck(new HealthCheckSettings { Protocol = "TCP" })).Path);
        Assert.Equal("HealthCheckPort", Single(WithHealthCheck(new HealthCheckSettings { Port = "0" })).Path);
        Assert.Empty(TargetGroupValidator.Collect(WithHealthCheck(new HealthCheckSettings { Port = "8081" }), Known));
    }

    [Theory]
    [InlineData("200", true)]
    [InlineData("200,202,404", true)]
    [InlineData("200-299", true)]
    [InlineData("200-499", true)]
    [InlineData("200-500", false)]
    [InlineData("199", false)]
    [InlineData("300-200", false)]
    [InlineData("200,", false)]
    [InlineData("abc", false)]
    public void Matcher_codes_for_alb(string codes, bool valid)
    {
        Assert.Equal(valid, TargetGroupValidator.Collect(WithHealthCheck(new HealthCheckSettings { MatcherHttpCode = codes }), Known).Count == 0);
    }

    [Fact]
    public void Grpc_matcher()
    {
        var grpc = TargetGroup() with { ProtocolVersion = "GRPC", HealthCheck = new HealthCheckSettings { MatcherGrpcCode = "0-99" } };
        Assert.Empty(TargetGroupValidator.Collect(grpc, Known));
        Assert.Equal("Matcher.GrpcCode", Single(grpc with { HealthCheck = new HealthCheckSettings { MatcherGrpcCode = "100" } }).Path);
    }

    [Fact]
    public void Attributes_go_through_the_definitions()
    {
        Assert.Equal("Attributes[deregistration_delay.timeout_seconds]", Single(WithAttributes(("deregistration_delay.timeout_seconds", "4000"))).Path);
        Assert.Equal("Attributes[bogus]", Single(WithAttributes(("bogus", "1"))).Path);
    }

    [Theory]
    [InlineData("least_outstanding_requests")]
    [InlineData("weighted_random")]
    public void Slow_start_conflicts_with_some_algorithms(string algorithm)
    {
        var e = Single(WithAttributes(("load_balancing.algorithm.type", algorithm), ("slow_start.duration_seconds", "30")));
        Assert.Equal("Attributes[slow_start.duration_seconds]", e.Path);
        Assert.Empty(TargetGroupValidator.Collect(WithAttributes(("load_balancing.algorithm.type", "round_robin"), ("slow_start.duration_seconds", "30")), Known));
    }

    [Fact]
    public void Weighted_random_conflicts_with_stickiness()
    {
        Assert.Equal("Attributes[stickiness.enabled]", Single(WithAttributes(("load_balancing.algorithm.type", "weighted_random"), ("stickiness.enabled", "true"))).Path);
    }

    [Fact]
    public void Cross_zone_off_conflicts_with_stickiness()
    {
        Assert.Equal("Attributes[stickiness.enabled]", Single(WithAttributes(("load_balancing.cross_zone.enabled", "false"), ("stickiness.enabled", "true"))).Path);
        Assert.Empty(TargetGroupValidator.Collect(WithAttributes(("load_balancing.cross_zone.enabled", "false")), Known));
        Assert.Empty(TargetGroupValidator.Collect(WithAttributes(("load_balancing.cross_zone.enabled", "true"), ("stickiness.enabled", "true")), Known));
    }

    [Fact]
    public void App_cookie_needs_a_cookie_name()
    {
        Assert.Equal("Attributes[stickiness.app_cookie.cookie_name]", Single(WithAttributes(("stickiness.enabled", "true"), ("stickiness.type", "app_cookie"))).Path);
        Assert.Empty(TargetGroupValidator.Collect(WithAttributes(("stickiness.enabled", "true"), ("stickiness.type", "app_cookie"), ("stickiness.app_cookie.cookie_name", "SESSION")), Known));
    }

    [Fact]
    public void Too_many_targets()
    {
        var ips = Enumerable.Range(0, 1001).Select(i => new TargetDescription($"10.0.{i / 256}.{i % 256}")).ToImmutableArray();
        var group = TargetGroup() with { TargetType = "ip", Targets = ips };
        Assert.Equal("TooManyTargets", Single(group).Code);
        Assert.Empty(TargetGroupValidator.Collect(group with { Targets = ips[..1000] }, Known));
    }

    [Fact]
    public void Instance_targets_must_be_known()
    {
        var e = Single(TargetGroup() with { Targets = [new TargetDescription("i-0123456789abcdef0"), new TargetDescription("i-ffff")] });
        Assert.Equal("InvalidTarget", e.Code);
        Assert.Equal("Targets[1].Id", e.Path);
    }

    [Theory]
    [InlineData("10.0.0.1", "ipv4", true)]
    [InlineData("10.0.1", "ipv4", false)]
    [InlineData("not-an-ip", "ipv4", false)]
    [InlineData("2001:db8::1", "ipv4", false)]
    [InlineData("2001:db8::1", "ipv6", true)]
    public void Ip_targets_must_be_addresses_of_the_right_family(string id, string family, bool valid)
    {
        var group = TargetGroup() with { TargetType = "ip", IpAddressType = family, Targets = [new TargetDescription(id)] };
        var errors = TargetGroupValidator.Collect(group, Known);
        Assert.Equal(valid, errors.Count == 0);
        if (!valid) Assert.Equal("InvalidTarget", errors[0].Code);
    }

    [Fact]
    public void Target_ports()
    {
        Assert.Equal("Targets[0].Port", Single(TargetGroup() with { Targets = [new TargetDescription("i-0123456789abcdef0", 0)] }).Path);
    }
}
