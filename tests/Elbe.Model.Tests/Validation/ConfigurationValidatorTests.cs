using System.Collections.Immutable;
using Elbe.Model.Resources;
using Elbe.Model.Validation;
using static Elbe.Model.Tests.Validation.SampleConfiguration;

namespace Elbe.Model.Tests.Validation;

public class ConfigurationValidatorTests
{
    private static ModelValidationException Single(ElbeConfiguration configuration)
    {
        var errors = ConfigurationValidator.Collect(configuration);
        Assert.Single(errors);
        return errors[0];
    }

    [Fact]
    public void The_sample_is_valid()
    {
        Assert.Empty(ConfigurationValidator.Collect(Valid()));
        ConfigurationValidator.Validate(Valid());
        ConfigurationValidator.Validate(ElbeConfiguration.Empty);
    }

    [Fact]
    public void Validate_throws_the_first_of_several()
    {
        var c = Valid() with { Listeners = [Listener() with { LoadBalancerArn = "nope", Port = 0 }] };
        Assert.True(ConfigurationValidator.Collect(c).Count >= 2);
        var ex = Assert.Throws<ModelValidationException>(() => ConfigurationValidator.Validate(c));
        Assert.Equal("LoadBalancerNotFound", ex.Code);
    }

    [Fact]
    public void Listener_needs_its_load_balancer()
    {
        var e = Single(Valid() with { Listeners = [Listener(lbArn: "arn:missing")], Rules = [] });
        Assert.Equal("LoadBalancerNotFound", e.Code);
        Assert.Equal("LoadBalancerArn", e.Path);
    }

    [Fact]
    public void Rule_needs_its_listener()
    {
        var e = Single(Valid() with { Rules = [Rule(1, listenerArn: "arn:missing")] });
        Assert.Equal("ListenerNotFound", e.Code);
    }

    [Fact]
    public void Actions_need_their_target_groups()
    {
        var e = Single(Valid() with { Rules = [Rule(1) with { Actions = [Forward("arn:missing")] }] });
        Assert.Equal("TargetGroupNotFound", e.Code);
        Assert.Equal("Actions[0].TargetGroupArn", e.Path);

        var weighted = new RuleAction { Type = ActionTypes.Forward, Forward = new ForwardConfig { TargetGroups = [new(TgArn, 1), new("arn:gone", 1)] } };
        e = Single(Valid() with { Listeners = [Listener() with { DefaultActions = [weighted] }] });
        Assert.Equal("DefaultActions[0].ForwardConfig.TargetGroups[1].TargetGroupArn", e.Path);
    }

    [Fact]
    public void Names_are_checked_and_unique()
    {
        Assert.Equal("ValidationError", Single(Valid() with { LoadBalancers = [LoadBalancer(name: "internal-web")] }).Code);
        Assert.Equal("ValidationError", Single(Valid() with { LoadBalancers = [LoadBalancer(name: "-web")] }).Code);
        Assert.Equal("ValidationError", Single(Valid() with { LoadBalancers = [LoadBalancer(name: new string('a', 33))] }).Code);
        Assert.Equal("ValidationError", Single(Valid() with { TargetGroups = [TargetGroup(name: "web_tg")] }).Code);

        var twoLbs = Valid() with { LoadBalancers = [LoadBalancer(), LoadBalancer(arn: LbArn + "x")] };
        Assert.Equal("DuplicateLoadBalancerName", Single(twoLbs).Code);
        var twoTgs = Valid() with { TargetGroups = [TargetGroup(), TargetGroup(arn: TgArn + "x")] };
        Assert.Equal("DuplicateTargetGroupName", Single(twoTgs).Code);
    }

    [Fact]
    public void Listener_ports_are_unique_per_load_balancer()
    {
        var e = Single(Valid() with { Listeners = [Listener(), Listener(arn: ListenerArn + "b")] });
        Assert.Equal("DuplicateListener", e.Code);
        Assert.Equal(ListenerArn + "b", e.ResourceArn);
        Assert.Empty(ConfigurationValidator.Collect(Valid() with { Listeners = [Listener(), Listener(arn: ListenerArn + "b", port: 8080)] }));
    }

    [Fact]
    public void Rule_priorities_are_unique_per_listener()
    {
        var e = Single(Valid() with { Rules = [Rule(1), Rule(1) with { Arn = "other" }] });
        Assert.Equal("PriorityInUse", e.Code);
        Assert.Equal("Priority", e.Path);
    }

    [Fact]
    public void Application_load_balancer_needs_two_zones()
    {
        var lb = LoadBalancer() with { Nodes = [new("subnet-a", "us-east-1a", "127.1.1.1"), new("subnet-a2", "us-east-1a", "127.1.1.2")] };
        var e = Single(Valid() with { LoadBalancers = [lb] });
        Assert.Equal("ValidationError", e.Code);
        Assert.Equal("Subnets", e.Path);
    }

    [Fact]
    public void Application_listener_protocol_and_certificate()
    {
        Assert.Equal("Protocol", Single(Valid() with { Listeners = [Listener() with { Protocol = "TCP" }] }).Path);
        var https = Listener() with { Protocol = "HTTPS", Port = 443 };
        var e = Single(Valid() with { Listeners = [https], Rules = [] });
        Assert.Equal("ValidationError", e.Code);
        Assert.Equal("Certificates", e.Path);
        const string certificateArn = "arn:aws:acm:us-east-1:000000000000:certificate/x";
        var imported = new Certificate { Arn = certificateArn, CertificatePem = "", PrivateKeyPem = "" };
        Assert.Empty(ConfigurationValidator.Collect(Valid() with { Listeners = [https with { CertificateArns = [certificateArn] }], Rules = [], Certificates = [imported] }));
    }

    [Fact]
    public void Listener_certificates_must_have_been_imported()
    {
        const string missing = "arn:aws:acm:us-east-1:000000000000:certificate/missing";
        const string present = "arn:aws:acm:us-east-1:000000000000:certificate/present";
        var imported = new Certificate { Arn = present, CertificatePem = "", PrivateKeyPem = "" };
        var https = Listener() with { Protocol = "HTTPS", Port = 443, CertificateArns = [present], AdditionalCertificateArns = [missing] };
        var e = Single(Valid() with { Listeners = [https], Rules = [], Certificates = [imported] });
        Assert.Equal("CertificateNotFound", e.Code);
        Assert.Equal($"Certificate '{missing}' not found", e.Message);
        Assert.Equal("Certificates", e.Path);
        Assert.Equal("CertificateNotFound", Single(Valid() with { Listeners = [https with { AdditionalCertificateArns = [] }], Rules = [] }).Code);
    }

    [Fact]
    public void Listener_and_target_group_protocols_must_fit()
    {
        var tcp = TargetGroup() with { Protocol = "TCP", HealthCheck = new HealthCheckSettings { Protocol = "TCP" } };
        var e = Single(Valid() with { TargetGroups = [tcp], Rules = [] });
        Assert.Equal("IncompatibleProtocols", e.Code);
    }

    [Theory]
    [InlineData("HTTP2")]
    [InlineData("GRPC")]
    public void Http2_and_grpc_groups_serve_https_listeners_only(string protocolVersion)
    {
        var group = TargetGroup() with { ProtocolVersion = protocolVersion };
        var e = Single(Valid() with { TargetGroups = [group], Rules = [] });
        Assert.Equal("InvalidLoadBalancerAction", e.Code);
        Assert.Equal($"Listener protocol 'HTTP' is not supported with a target group with the protocol-version '{protocolVersion}'", e.Message);

        const string certificateArn = "arn:aws:acm:us-east-1:000000000000:certificate/present";
        var https = Listener() with { Protocol = "HTTPS", Port = 443, CertificateArns = [certificateArn] };
        var certificate = new Certificate { Arn = certificateArn, CertificatePem = "", PrivateKeyPem = "" };
        Assert.Empty(ConfigurationValidator.Collect(Valid() with { TargetGroups = [group], Listeners = [https], Rules = [], Certificates = [certificate] }));
    }

    [Fact]
    public void Load_balancer_attributes_are_checked()
    {
        var lb = LoadBalancer() with { Attributes = ImmutableSortedDictionary<string, string>.Empty.Add("idle_timeout.timeout_seconds", "5000") };
        var e = Single(Valid() with { LoadBalancers = [lb] });
        Assert.Equal("Attributes[idle_timeout.timeout_seconds]", e.Path);
        lb = LoadBalancer() with { Attributes = ImmutableSortedDictionary<string, string>.Empty.Add("no.such.key", "1") };
        Assert.Equal("Attributes[no.such.key]", Single(Valid() with { LoadBalancers = [lb] }).Path);
    }

    [Fact]
    public void Too_many_listeners()
    {
        var listeners = Enumerable.Range(1, 51).Select(i => Listener(arn: ListenerArn + i, port: 1000 + i)).ToImmutableArray();
        var e = Single(Valid() with { Listeners = listeners, Rules = [] });
        Assert.Equal("TooManyListeners", e.Code);
        Assert.Empty(ConfigurationValidator.Collect(Valid() with { Listeners = listeners[..50], Rules = [] }));
    }

    [Fact]
    public void Too_many_application_load_balancers()
    {
        var lbs = Enumerable.Range(1, 51).Select(i => LoadBalancer(arn: LbArn + i, name: "web" + i)).ToImmutableArray();
        var e = Single(Valid() with { LoadBalancers = lbs, Listeners = [], Rules = [] });
        Assert.Equal("TooManyLoadBalancers", e.Code);
        Assert.Equal(lbs[50].Arn, e.ResourceArn);
        Assert.Empty(ConfigurationValidator.Collect(Valid() with { LoadBalancers = lbs[..50], Listeners = [], Rules = [] }));
    }

    [Fact]
    public void Too_many_target_groups()
    {
        var groups = Enumerable.Range(1, 3001).Select(i => TargetGroup(arn: TgArn + i, name: "tg" + i)).ToImmutableArray();
        var e = Single(Valid() with { TargetGroups = groups, Listeners = [], Rules = [] });
        Assert.Equal("TooManyTargetGroups", e.Code);
        Assert.Empty(ConfigurationValidator.Collect(Valid() with { TargetGroups = groups[..3000], Listeners = [], Rules = [] }));
    }

    [Fact]
    public void Too_many_unique_target_groups_per_load_balancer()
    {
        var groups = Enumerable.Range(1, 101).Select(i => TargetGroup(arn: TgArn + i, name: "tg" + i)).ToImmutableArray();
        var rules = Enumerable.Range(1, 100).Select(i => Rule(i) with { Actions = [Forward(groups[i].Arn)] }).ToImmutableArray();
        var listener = Listener() with { DefaultActions = [Forward(groups[0].Arn)] };
        var e = Single(Valid() with { TargetGroups = groups, Listeners = [listener], Rules = rules });
        Assert.Equal("TooManyUniqueTargetGroupsPerLoadBalancer", e.Code);
        Assert.Equal(LbArn, e.ResourceArn);
        Assert.Empty(ConfigurationValidator.Collect(Valid() with { TargetGroups = groups, Listeners = [listener], Rules = rules[..99] }));
    }

    [Fact]
    public void Too_many_rules_per_load_balancer()
    {
        var second = Listener(arn: ListenerArn + "b", port: 81);
        var rules = Enumerable.Range(1, 60).Select(i => Rule(i))
            .Concat(Enumerable.Range(1, 41).Select(i => Rule(i, listenerArn: second.Arn)))
            .ToImmutableArray();
        var e = Single(Valid() with { Listeners = [Listener(), second], Rules = rules });
        Assert.Equal("TooManyRules", e.Code);
        Assert.Empty(ConfigurationValidator.Collect(Valid() with { Listeners = [Listener(), second], Rules = rules[..100] }));
    }

    [Fact]
    public void A_target_group_serves_one_load_balancer()
    {
        const string otherLb = "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/api/0000000000000009";
        var c = Valid() with
        {
            LoadBalancers = [LoadBalancer(), LoadBalancer(arn: otherLb, name: "api")],
            Listeners = [Listener(), Listener(arn: otherLb + "/l", lbArn: otherLb)],
        };
        var e = Single(c);
        Assert.Equal("TargetGroupAssociationLimit", e.Code);
        Assert.Equal(TgArn, e.ResourceArn);
    }

    [Fact]
    public void Rules_are_checked_with_their_listener_protocol()
    {
        var auth = new RuleAction { Type = ActionTypes.AuthenticateOidc, Order = 1 };
        var e = Single(Valid() with { Rules = [Rule(1) with { Actions = [auth, Forward() with { Order = 2 }] }] });
        Assert.Equal("InvalidConfigurationRequest", e.Code);
    }

    [Fact]
    public void Target_group_problems_surface_through_the_configuration()
    {
        var e = Single(Valid() with { TargetGroups = [TargetGroup() with { Targets = [new TargetDescription("i-unknown")] }] });
        Assert.Equal("InvalidTarget", e.Code);
        Assert.Equal("Targets[0].Id", e.Path);
    }
}
