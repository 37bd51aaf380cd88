using Elbe.Model.Resources;

namespace Elbe.Model.Tests.Validation;

/// <summary>A small valid configuration the validation tests start from and then break one thing in.</summary>
internal static class SampleConfiguration
{
    public const string LbArn = "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web/0000000000000001";
    public const string ListenerArn = LbArn + "/l1";
    public const string TgArn = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web-tg/0000000000000002";

    public static LoadBalancer LoadBalancer(string arn = LbArn, string name = "web") => new()
    {
        Arn = arn,
        Name = name,
        Id = "0000000000000001",
        DnsName = name + "-1.us-east-1.elb.amazonaws.com",
        Nodes = [new("subnet-a", "us-east-1a", "127.1.1.1"), new("subnet-b", "us-east-1b", "127.1.2.1")],
    };

    public static TargetGroup TargetGroup(string arn = TgArn, string name = "web-tg") => new()
    {
        Arn = arn,
        Name = name,
        Port = 8080,
        Targets = [new TargetDescription("i-0123456789abcdef0")],
    };

    public static RuleAction Forward(string tgArn = TgArn) => new() { Type = ActionTypes.Forward, TargetGroupArn = tgArn };

    public static Listener Listener(string arn = ListenerArn, int port = 80, string lbArn = LbArn) => new()
    {
        Arn = arn,
        LoadBalancerArn = lbArn,
        Port = port,
        Protocol = "HTTP",
        DefaultActions = [Forward()],
    };

    public static ListenerRule Rule(int priority, string listenerArn = ListenerArn) => new()
    {
        Arn = $"{listenerArn}/rule{priority}",
        ListenerArn = listenerArn,
        Priority = priority,
        Conditions = [new RuleCondition { Field = ConditionFields.PathPattern, Values = ["/p" + priority] }],
        Actions = [Forward()],
    };

    public static ElbeConfiguration Valid() => new()
    {
        LoadBalancers = [LoadBalancer()],
        TargetGroups = [TargetGroup()],
        Listeners = [Listener()],
        Rules = [Rule(1)],
        Instances = [new Instance("i-0123456789abcdef0", "127.0.0.1")],
    };
}
