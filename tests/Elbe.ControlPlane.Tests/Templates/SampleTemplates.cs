namespace Elbe.ControlPlane.Tests.Templates;

internal static class SampleTemplates
{
    public const string Yaml = """
        AWSTemplateFormatVersion: "2010-09-09"
        Parameters:
          Env:
            Type: String
            Default: test
          AppPort:
            Type: Number
            Default: 8080
        Resources:
          Web:
            Type: AWS::ElasticLoadBalancingV2::LoadBalancer
            Properties:
              Name: !Sub "${AWS::StackName}-${Env}"
              Subnets: [subnet-0000000000000000a, subnet-0000000000000000b]
              LoadBalancerAttributes:
                - Key: idle_timeout.timeout_seconds
                  Value: "30"
          App:
            Type: AWS::ElasticLoadBalancingV2::TargetGroup
            Properties:
              Name: app
              Protocol: HTTP
              Port: !Ref AppPort
              HealthCheckPath: /health
              Targets:
                - Id: !Ref Box
                  Port: "9000"
          Box:
            Type: AWS::EC2::Instance
            Properties:
              ImageId: ami-123
              PrivateIpAddress: 127.0.0.1
          Http:
            Type: AWS::ElasticLoadBalancingV2::Listener
            Properties:
              LoadBalancerArn: !Ref Web
              Port: 80
              Protocol: HTTP
              DefaultActions:
                - Type: forward
                  TargetGroupArn: !GetAtt App.TargetGroupArn
          Api:
            Type: AWS::ElasticLoadBalancingV2::ListenerRule
            Properties:
              ListenerArn: !GetAtt [Http, ListenerArn]
              Priority: 10
              Conditions:
                - Field: path-pattern
                  PathPatternConfig:
                    Values: ["/api/*"]
              Actions:
                - Type: fixed-response
                  FixedResponseConfig:
                    StatusCode: "200"
                    MessageBody: !Join ["-", [a, !Ref Env]]
        """;

    public const string Json = """
        {
          "AWSTemplateFormatVersion": "2010-09-09",
          "Parameters": {
            "Env": { "Type": "String", "Default": "test" },
            "AppPort": { "Type": "Number", "Default": "8080" }
          },
          "Resources": {
            "Web": {
              "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
              "Properties": {
                "Name": { "Fn::Sub": "${AWS::StackName}-${Env}" },
                "Subnets": ["subnet-0000000000000000a", "subnet-0000000000000000b"],
                "LoadBalancerAttributes": [ { "Key": "idle_timeout.timeout_seconds", "Value": "30" } ]
              }
            },
            "App": {
              "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
              "Properties": {
                "Name": "app", "Protocol": "HTTP", "Port": { "Ref": "AppPort" }, "HealthCheckPath": "/health",
                "Targets": [ { "Id": { "Ref": "Box" }, "Port": 9000 } ]
              }
            },
            "Box": { "Type": "AWS::EC2::Instance", "Properties": { "ImageId": "ami-123", "PrivateIpAddress": "127.0.0.1" } },
            "Http": {
              "Type": "AWS::ElasticLoadBalancingV2::Listener",
              "Properties": {
                "LoadBalancerArn": { "Ref": "Web" }, "Port": "80", "Protocol": "HTTP",
                "DefaultActions": [ { "Type": "forward", "TargetGroupArn": { "Fn::GetAtt": ["App", "TargetGroupArn"] } } ]
              }
            },
            "Api": {
              "Type": "AWS::ElasticLoadBalancingV2::ListenerRule",
              "Properties": {
                "ListenerArn": { "Fn::GetAtt": "Http.ListenerArn" }, "Priority": 10,
                "Conditions": [ { "Field": "path-pattern", "PathPatternConfig": { "Values": ["/api/*"] } } ],
                "Actions": [ { "Type": "fixed-response",
                  "FixedResponseConfig": { "StatusCode": "200", "MessageBody": { "Fn::Join": ["-", ["a", { "Ref": "Env" }]] } } } ]
              }
            }
          }
        }
        """;

    /// <summary>A minimal valid stack around one extra resource snippet (indented as a Resources entry).</summary>
    public static string With(string extraResources, string extraTop = "") => $$"""
        {{extraTop}}
        Resources:
          Web:
            Type: AWS::ElasticLoadBalancingV2::LoadBalancer
            Properties:
              Name: web
          App:
            Type: AWS::ElasticLoadBalancingV2::TargetGroup
            Properties:
              Name: app
              Port: 80
          Http:
            Type: AWS::ElasticLoadBalancingV2::Listener
            Properties:
              LoadBalancerArn: !Ref Web
              Port: 80
              DefaultActions:
                - Type: forward
                  TargetGroupArn: !Ref App
        {{extraResources}}
        """;
}
