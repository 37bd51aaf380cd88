using Elbe.ControlPlane.Templates;
using Elbe.Model.Identifiers;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Tests.Templates;

public class TemplateLoaderTests
{
    private static TemplateLoadContext Context() => new() { Region = "us-east-1", AccountId = "123456789012" };

    private static ElbeConfiguration Load(string text, TemplateLoadContext? context = null) =>
        TemplateLoader.Load(text, "stack.yaml", context ?? Context());

    private static TemplateException Refused(string text, TemplateLoadContext? context = null) =>
        Assert.Throws<TemplateException>(() => Load(text, context));

    [Fact]
    public void Loads_the_sample_stack()
    {
        var config = Load(SampleTemplates.Yaml);

        var lb = Assert.Single(config.LoadBalancers);
        Assert.Equal("stack-test", lb.Name);
        Assert.Equal(Arns.LoadBalancer("us-east-1", "123456789012", LoadBalancerType.Application, "stack-test", Arns.StableId("stack/Web")), lb.Arn);
        Assert.Equal("30", lb.Attributes["idle_timeout.timeout_seconds"]);
        Assert.Equal(["127.1.1.4", "127.1.2.4"], lb.Nodes.Select(n => n.IpAddress));

        var tg = Assert.Single(config.TargetGroups);
        Assert.Equal(8080, tg.Port);
        Assert.Equal("/health", tg.HealthCheck.Path);
        Assert.Equal(30, tg.HealthCheck.IntervalSeconds);
        var instance = Assert.Single(config.Instances);
        Assert.Matches("^i-[0-9a-f]{17}$", instance.InstanceId);
        Assert.Equal(new TargetDescription(instance.InstanceId, 9000), Assert.Single(tg.Targets));

        var listener = Assert.Single(config.Listeners);
        Assert.Equal(lb.Arn, listener.LoadBalancerArn);
        Assert.Equal(tg.Arn, Assert.Single(listener.DefaultActions).TargetGroupArn);

        var rule = Assert.Single(config.Rules);
        Assert.Equal(listener.Arn, rule.ListenerArn);
        Assert.StartsWith(listener.Arn.Replace(":listener/", ":listener-rule/", StringComparison.Ordinal), rule.Arn, StringComparison.Ordinal);
        Assert.Equal(["/api/*"], Assert.Single(rule.Conditions).Values.AsEnumerable());
        Assert.Equal("a-test", Assert.Single(rule.Actions).FixedResponse!.MessageBody);
    }

    [Fact]
    public void Json_and_yaml_give_the_same_configuration()
    {
        var yaml = TemplateLoader.Load(SampleTemplates.Yaml, "stack.yaml", Context());
        var json = TemplateLoader.Load(SampleTemplates.Json, "stack.json", Context());
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(yaml), System.Text.Json.JsonSerializer.Serialize(json));
    }

    [Fact]
    public void Reloading_keeps_arns_and_node_addresses()
    {
        var first = Load(SampleTemplates.Yaml);
        var second = Load(SampleTemplates.Yaml, Context() with { Previous = first });
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(first), System.Text.Json.JsonSerializer.Serialize(second));
    }

    [Fact]
    public void A_new_load_balancer_does_not_take_addresses_held_by_an_existing_one()
    {
        var first = Load(SampleTemplates.Yaml);
        var withSecondFirst = SampleTemplates.Yaml.Replace("Resources:\n", """
            Resources:
              Early:
                Type: AWS::ElasticLoadBalancingV2::LoadBalancer
                Properties:
                  Subnets: [subnet-0000000000000000a, subnet-0000000000000000b]

            """, StringComparison.Ordinal);
        var second = Load(withSecondFirst, Context() with { Previous = first });
        var web = second.LoadBalancers.Single(lb => lb.Name == "stack-test");
        var early = second.LoadBalancers.Single(lb => lb.Name != "stack-test");
        Assert.Equal(["127.1.1.4", "127.1.2.4"], web.Nodes.Select(n => n.IpAddress));
        Assert.Equal(["127.1.1.5", "127.1.2.5"], early.Nodes.Select(n => n.IpAddress));
        Assert.StartsWith("stack-Early-", early.Name, StringComparison.Ordinal);
        Assert.True(early.Name.Length <= 32);
    }

    [Fact]
    public void Short_and_long_intrinsics_resolve()
    {
        var config = Load(SampleTemplates.With("""
              Tagged:
                Type: AWS::ElasticLoadBalancingV2::TargetGroup
                Properties:
                  Name: !Select [1, !Split [",", "x,tagged,y"]]
                  Port: !FindInMap [Ports, Http, Value]
                  Tags:
                    - Key: region
                      Value: !Sub "${AWS::Region}/${AWS::AccountId}/${AWS::Partition}/${AWS::URLSuffix}"
                    - Key: literal
                      Value: !Sub ["${!Keep}-${Name}", { Name: !Ref AWS::StackName }]
                    - Key: dns
                      Value: { "Fn::GetAtt": [Web, DNSName] }
                    - Key: full
                      Value: !GetAtt Web.LoadBalancerFullName
                    - Key: zone
                      Value: !GetAtt Web.CanonicalHostedZoneID
                    - Key: tgfull
                      Value: !GetAtt App.TargetGroupFullName
                    - Key: lbs
                      Value: !Join [",", !GetAtt App.LoadBalancerArns]
                    - Key: isdefault
                      Value: !GetAtt Rule.IsDefault
                    - Key: joined
                      Value: { "Fn::Join": ["", ["a", { "Ref": "AWS::NoValue" }, "b"]] }
                  HealthCheckPath: !Ref AWS::NoValue
              Rule:
                Type: AWS::ElasticLoadBalancingV2::ListenerRule
                Properties:
                  ListenerArn: !Ref Http
                  Priority: "5"
                  Conditions: [{ Field: host-header, Values: [example.com] }]
                  Actions: [{ Type: forward, TargetGroupArn: !GetAtt Tagged.Arn }]
            """, """
            Mappings:
              Ports:
                Http: { Value: 8081 }
            """));

        var tg = config.TargetGroups.Single(t => t.Name == "tagged");
        var tags = tg.Tags.ToDictionary(t => t.Key, t => t.Value);
        var web = config.LoadBalancers.Single();
        var app = config.TargetGroups.Single(t => t.Name == "app");
        Assert.Equal(8081, tg.Port);
        Assert.Equal("us-east-1/123456789012/aws/amazonaws.com", tags["region"]);
        Assert.Equal("${Keep}-stack", tags["literal"]);
        Assert.Equal(web.DnsName, tags["dns"]);
        Assert.Matches(@"^web-\d+\.us-east-1\.elb\.amazonaws\.com$", tags["dns"]);
        Assert.Equal("app/web/" + web.Id, tags["full"]);
        Assert.Equal("Z35SXDOTRQ7X7K", tags["zone"]);
        Assert.Equal(Arns.TargetGroupFullName(app.Arn), tags["tgfull"]);
        Assert.Equal(web.Arn, tags["lbs"]);
        Assert.Equal("false", tags["isdefault"]);
        Assert.Equal("ab", tags["joined"]);
        Assert.Equal("/", tg.HealthCheck.Path);
        Assert.Equal(["example.com"], config.Rules.Single().Conditions.Single().Values.AsEnumerable());
    }

    [Fact]
    public void List_parameters_and_defaults()
    {
        var config = Load(SampleTemplates.With("", """
            Parameters:
              Nets:
                Type: List<AWS::EC2::Subnet::Id>
                Default: subnet-0000000000000000b,subnet-0000000000000000c
            """).Replace("Name: web", "Name: web\n      Subnets: !Ref Nets", StringComparison.Ordinal));
        Assert.Equal(["subnet-0000000000000000b", "subnet-0000000000000000c"], config.LoadBalancers.Single().Nodes.Select(n => n.SubnetId));
    }

    [Fact]
    public void Parameter_without_default_is_an_error()
    {
        var e = Refused(SampleTemplates.With("", "Parameters:\n  Env:\n    Type: String\n"));
        var error = Assert.Single(e.Errors);
        Assert.Equal("Parameters.Env.Default", error.PropertyPath);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void Target_group_health_check_defaults_are_alb_defaults()
    {
        var hc = Load(SampleTemplates.With("")).TargetGroups.Single().HealthCheck;
        Assert.Equal(new HealthCheckSettings(), hc);
    }

    [Theory]
    [InlineData(null, "TCP", 10)]
    [InlineData("HTTP", "HTTP", 6)]
    [InlineData("HTTPS", "HTTPS", 10)]
    public void Nlb_target_group_health_check_defaults_are_the_apis_nlb_defaults(string? asked, string protocol, int timeout)
    {
        var text = $$"""
            Resources:
              Flows:
                Type: AWS::ElasticLoadBalancingV2::TargetGroup
                Properties:
                  Protocol: TCP
                  Port: 80
                  TargetType: ip
                  VpcId: vpc-00000000000000000
            {{(asked is null ? "" : $"      HealthCheckProtocol: {asked}\n")}}
            """;
        var hc = Load(text).TargetGroups.Single().HealthCheck;
        Assert.Equal((protocol, "traffic-port", "/", 30, timeout, 5, 2, "200-399"),
            (hc.Protocol, hc.Port, hc.Path, hc.IntervalSeconds, hc.TimeoutSeconds, hc.HealthyThresholdCount, hc.UnhealthyThresholdCount, hc.MatcherHttpCode));
    }

    [Fact]
    public void Yaml_syntax_error_carries_its_line()
    {
        var e = Refused("Resources:\n  Web:\n    Type: [unclosed\n");
        var error = Assert.Single(e.Errors);
        Assert.Null(error.PropertyPath);
        Assert.True(error.Line >= 3, error.ToString());
        Assert.StartsWith("stack.yaml:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_property_is_an_error_at_its_line()
    {
        var text = SampleTemplates.With("").Replace("Port: 80\n  Http", "Port: 80\n      Colour: blue\n  Http", StringComparison.Ordinal);
        var error = Assert.Single(Refused(text).Errors);
        Assert.Equal("App", error.LogicalId);
        Assert.Equal("Resources.App.Properties.Colour", error.PropertyPath);
        Assert.Equal(LineOf(text, "Colour: blue"), error.Line);
    }

    [Fact]
    public void Bad_ref_is_an_error()
    {
        var text = SampleTemplates.With("").Replace("!Ref App", "!Ref Missing", StringComparison.Ordinal);
        var error = Assert.Single(Refused(text).Errors);
        Assert.Contains("'Missing'", error.Message, StringComparison.Ordinal);
        Assert.Equal(LineOf(text, "!Ref Missing"), error.Line);
        Assert.Equal("Resources.Http.Properties.DefaultActions[0].TargetGroupArn", error.PropertyPath);
    }

    [Fact]
    public void Wrong_type_is_an_error()
    {
        var text = SampleTemplates.With("").Replace("Port: 80\n  Http", "Port: eighty\n  Http", StringComparison.Ordinal);
        var error = Assert.Single(Refused(text).Errors);
        Assert.Contains("must be an integer", error.Message, StringComparison.Ordinal);
        Assert.Equal(LineOf(text, "Port: eighty"), error.Line);
    }

    [Fact]
    public void Unknown_intrinsic_is_an_error()
    {
        var text = SampleTemplates.With("").Replace("Name: app", "Name: !Frobnicate app", StringComparison.Ordinal);
        Assert.Contains("!Frobnicate", Assert.Single(Refused(text).Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_error_maps_to_the_offending_list_item()
    {
        var text = SampleTemplates.With("""
              MyRule:
                Type: AWS::ElasticLoadBalancingV2::ListenerRule
                Properties:
                  ListenerArn: !Ref Http
                  Priority: 1
                  Conditions:
                    - Field: path-pattern
                      PathPatternConfig:
                        Values:
                          - /ok
                          - "/bad path {"
                  Actions: [{ Type: forward, TargetGroupArn: !Ref App }]
            """);
        var e = Refused(text);
        var error = Assert.Single(e.Errors);
        Assert.Equal("MyRule", error.LogicalId);
        Assert.Equal("Resources.MyRule.Properties.Conditions[0].PathPatternConfig.Values[1]", error.PropertyPath);
        Assert.Equal(LineOf(text, "/bad path {"), error.Line);
        Assert.Contains($"stack.yaml:{error.Line}:{error.Column}: Resources.MyRule.Properties.Conditions[0].PathPatternConfig.Values[1]: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Attribute_validation_error_maps_to_the_attribute_value()
    {
        var text = SampleTemplates.With("").Replace("Name: web", "Name: web\n      LoadBalancerAttributes:\n        - Key: idle_timeout.timeout_seconds\n          Value: \"99999\"", StringComparison.Ordinal);
        var error = Assert.Single(Refused(text).Errors);
        Assert.Equal("Web", error.LogicalId);
        Assert.Equal(LineOf(text, "\"99999\""), error.Line);
    }

    [Fact]
    public void Validator_errors_with_a_path_are_located_by_walking_the_template()
    {
        var context = Context() with
        {
            Validator = c => [new Elbe.Model.Validation.ModelValidationException("ValidationError", "too slow", c.TargetGroups[0].Arn, "HealthCheckIntervalSeconds")],
        };
        var text = SampleTemplates.With("").Replace("Port: 80\n  Http", "Port: 80\n      HealthCheckIntervalSeconds: 301\n  Http", StringComparison.Ordinal);
        var error = Assert.Single(Refused(text, context).Errors);
        Assert.Equal(LineOf(text, "HealthCheckIntervalSeconds: 301"), error.Line);
        Assert.Equal("App", error.LogicalId);
    }

    [Fact]
    public void Other_resource_types_are_skipped_with_a_warning_and_cannot_be_referenced()
    {
        var context = Context();
        var text = SampleTemplates.With("""
              Sg:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: web
            """);
        Load(text, context);
        var warning = Assert.Single(context.Warnings);
        Assert.Equal("Sg", warning.LogicalId);
        Assert.Contains("AWS::EC2::SecurityGroup", warning.Message, StringComparison.Ordinal);

        var referencing = text.Replace("Name: web", "Name: web\n      SecurityGroups: [!Ref Sg]", StringComparison.Ordinal);
        var error = Assert.Single(Refused(referencing).Errors);
        Assert.Contains("'Sg'", error.Message, StringComparison.Ordinal);
        Assert.Contains("skipped", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_subnet_is_refused()
    {
        var text = SampleTemplates.With("").Replace("Name: web", "Name: web\n      Subnets: [subnet-0000000000000000a, subnet-nope]", StringComparison.Ordinal);
        var error = Assert.Single(Refused(text).Errors);
        Assert.Equal("Resources.Web.Properties.Subnets[1]", error.PropertyPath);
        Assert.Equal(LineOf(text, "subnet-nope"), error.Line);
    }

    [Fact]
    public void Subnet_mapping_pins_the_node_address()
    {
        var text = SampleTemplates.With("").Replace("Name: web", """
            Name: web
                  SubnetMappings:
                    - SubnetId: subnet-0000000000000000a
                      PrivateIPv4Address: 127.1.1.50
                    - SubnetId: subnet-0000000000000000b
            """, StringComparison.Ordinal);
        Assert.Equal(["127.1.1.50", "127.1.2.4"], Load(text).LoadBalancers.Single().Nodes.Select(n => n.IpAddress));
    }

    [Fact]
    public void Many_errors_are_reported_together_in_line_order()
    {
        var text = SampleTemplates.With("").Replace("Port: 80\n  Http", "Port: x\n      Bogus: 1\n  Http", StringComparison.Ordinal);
        var e = Refused(text);
        Assert.Equal(2, e.Errors.Count);
        Assert.Equal(2, e.Message.Split(Environment.NewLine).Length);
    }

    internal static int LineOf(string text, string needle)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
            if (lines[i].Contains(needle, StringComparison.Ordinal)) return i + 1;
        throw new InvalidOperationException(needle);
    }
}
