using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Tests.State;

/// <summary>A configuration with every resource kind and as many members set away from their defaults as the model has.</summary>
internal static class RichConfiguration
{
    public const string Region = "eu-west-1";
    public const string Account = "123456789012";
    public const string Prefix = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:";
    public const string LoadBalancerArn = Prefix + "loadbalancer/net/edge/0123456789abcdef";
    public const string ListenerArn = Prefix + "listener/net/edge/0123456789abcdef/1111111111111111";
    public const string RuleArn = Prefix + "listener-rule/net/edge/0123456789abcdef/1111111111111111/2222222222222222";
    public const string WebGroupArn = Prefix + "targetgroup/web/3333333333333333";
    public const string LambdaGroupArn = Prefix + "targetgroup/fn/4444444444444444";

    public static ElbeConfiguration Build() => new()
    {
        Region = Region,
        AccountId = Account,
        LoadBalancers =
        [
            new LoadBalancer
            {
                Arn = LoadBalancerArn,
                Name = "edge",
                Id = "0123456789abcdef",
                Type = LoadBalancerType.Network,
                Scheme = "internal",
                IpAddressType = "dualstack",
                VpcId = "vpc-0123",
                DnsName = "internal-edge-0123456789abcdef.elb.eu-west-1.amazonaws.com",
                CanonicalHostedZoneId = "Z2IFOLAFXWLO4F",
                CreatedTime = new DateTimeOffset(2024, 2, 29, 13, 14, 15, 678, TimeSpan.FromHours(5.5)),
                Nodes = [new LoadBalancerNode("subnet-a", "eu-west-1a", "127.1.1.4"), new LoadBalancerNode("subnet-b", "eu-west-1b", "127.1.2.4")],
                SecurityGroups = ["sg-1", "sg-2"],
                Attributes = ImmutableSortedDictionary.CreateRange(new Dictionary<string, string>
                {
                    ["load_balancing.cross_zone.enabled"] = "true",
                    ["deletion_protection.enabled"] = "false",
                }),
                Tags = [new Tag("env", "prod"), new Tag("empty", "")],
            },
        ],
        Listeners =
        [
            new Listener
            {
                Arn = ListenerArn,
                LoadBalancerArn = LoadBalancerArn,
                Port = 443,
                Protocol = "TLS",
                SslPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06",
                CertificateArns = ["arn:aws:acm:eu-west-1:123456789012:certificate/abc"],
                Attributes = ImmutableSortedDictionary<string, string>.Empty.Add("tcp.idle_timeout.seconds", "600"),
                DefaultActions =
                [
                    new RuleAction
                    {
                        Type = ActionTypes.Forward,
                        Order = 1,
                        Forward = new ForwardConfig
                        {
                            TargetGroups = [new WeightedTargetGroup(WebGroupArn, 3), new WeightedTargetGroup(LambdaGroupArn, 0)],
                            StickinessEnabled = true,
                            StickinessDurationSeconds = 3600,
                        },
                    },
                ],
            },
        ],
        Rules =
        [
            new ListenerRule
            {
                Arn = RuleArn,
                ListenerArn = ListenerArn,
                Priority = 49_999,
                Conditions =
                [
                    new RuleCondition { Field = ConditionFields.HostHeader, Values = ["a.example.com", "*.b.example.com"] },
                    new RuleCondition { Field = ConditionFields.HttpHeader, HttpHeaderName = "X-Env", Values = ["blue"] },
                    new RuleCondition { Field = ConditionFields.QueryString, QueryStringValues = [new QueryStringPair(null, "any"), new QueryStringPair("k", "v")] },
                ],
                Actions =
                [
                    new RuleAction { Type = ActionTypes.Redirect, Order = 1, Redirect = new RedirectConfig { StatusCode = "HTTP_301", Protocol = "HTTPS", Port = "443" } },
                    new RuleAction { Type = ActionTypes.FixedResponse, Order = 2, FixedResponse = new FixedResponseConfig { StatusCode = "503", ContentType = null, MessageBody = "down \u00e9\u2603" } },
                    new RuleAction { Type = ActionTypes.Forward, Order = 3, TargetGroupArn = WebGroupArn },
                ],
            },
        ],
        TargetGroups =
        [
            new TargetGroup
            {
                Arn = WebGroupArn,
                Name = "web",
                Protocol = "HTTPS",
                Port = 8443,
                VpcId = "vpc-0123",
                TargetType = "ip",
                ProtocolVersion = "HTTP2",
                IpAddressType = "ipv6",
                HealthCheck = new HealthCheckSettings
                {
                    Enabled = true, Protocol = "HTTPS", Port = "9000", Path = "/healthz", IntervalSeconds = 7, TimeoutSeconds = 3,
                    HealthyThresholdCount = 2, UnhealthyThresholdCount = 4, MatcherHttpCode = "200-299", MatcherGrpcCode = "0-12",
                },
                Targets = [new TargetDescription("10.0.0.1", 8443, "eu-west-1a"), new TargetDescription("10.0.0.2")],
                Attributes = ImmutableSortedDictionary<string, string>.Empty.Add("deregistration_delay.timeout_seconds", "5"),
                Tags = [new Tag("team", "web")],
            },
            new TargetGroup
            {
                Arn = LambdaGroupArn,
                Name = "fn",
                Protocol = null,
                Port = null,
                ProtocolVersion = null,
                TargetType = "lambda",
                HealthCheck = new HealthCheckSettings { Enabled = false },
                Targets = [new TargetDescription("arn:aws:lambda:eu-west-1:123456789012:function:fn")],
            },
        ],
        Instances = [new Instance("i-0123456789abcdef0", "127.0.0.10", "subnet-a"), new Instance("i-0fedcba9876543210", "127.0.0.11")],
    };

    private static readonly JsonSerializerOptions Everything = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>
    /// Every member of every resource, as text: records compare their ImmutableArrays by reference, so this is how
    /// two configurations are checked for equal content.
    /// </summary>
    public static string Content(ElbeConfiguration configuration) => JsonSerializer.Serialize(configuration, Everything);
}
