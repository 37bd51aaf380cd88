using System.Collections.Immutable;
using static Elbe.Model.Attributes.AttributeChecks;

namespace Elbe.Model.Attributes;

/// <summary>Lambda target group attribute keys: only how repeated headers and query parameters reach the function.</summary>
public static class LambdaTargetGroupAttributes
{
    public const string MultiValueHeaders = "lambda.multi_value_headers.enabled";

    public static readonly ImmutableArray<AttributeDefinition> Lambda =
    [
        new(MultiValueHeaders, "false", Bool),
    ];
}
