using System.Collections.Immutable;
using Elbe.Model.Resources;

namespace Elbe.Model.Attributes;

/// <summary>Which attribute keys a target group has, by its kind: ALB instance/ip, Lambda, NLB or GWLB.</summary>
public static class TargetGroupAttributeSets
{
    public static ImmutableArray<AttributeDefinition> For(TargetGroup group) => group switch
    {
        { TargetType: "lambda" } => LambdaTargetGroupAttributes.Lambda,
        { Protocol: "HTTP" or "HTTPS" } => TargetGroupAttributes.Application,
        { Protocol: "GENEVE" } => GatewayTargetGroupAttributes.Gateway,
        _ => NetworkTargetGroupAttributes.For(group.Protocol, group.TargetType),
    };

    /// <summary>Every key of the group's kind with its effective value, as DescribeTargetGroupAttributes lists them.</summary>
    public static AttributeSet Of(TargetGroup group) => new(group.Attributes, For(group));
}
