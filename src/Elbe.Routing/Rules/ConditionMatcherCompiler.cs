using Elbe.Model.Resources;

namespace Elbe.Routing.Rules;

/// <summary>Turns a validated <see cref="RuleCondition"/> into the matcher for its field.</summary>
public static class ConditionMatcherCompiler
{
    public static IConditionMatcher Compile(RuleCondition condition) => condition.Field switch
    {
        ConditionFields.HostHeader => new HostHeaderMatcher(condition.Values),
        ConditionFields.PathPattern => new PathPatternMatcher(condition.Values),
        ConditionFields.HttpRequestMethod => new HttpRequestMethodMatcher(condition.Values),
        ConditionFields.SourceIp => new SourceIpMatcher(condition.Values),
        ConditionFields.HttpHeader => new HttpHeaderMatcher(
            condition.HttpHeaderName ?? throw new ArgumentException("An http-header condition needs HttpHeaderName.", nameof(condition)),
            condition.Values),
        ConditionFields.QueryString => new QueryStringMatcher(condition.QueryStringValues),
        _ => throw new ArgumentException($"Unknown condition field '{condition.Field}'.", nameof(condition)),
    };
}
