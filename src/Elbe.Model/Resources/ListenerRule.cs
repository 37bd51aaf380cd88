using System.Collections.Immutable;

namespace Elbe.Model.Resources;

/// <summary>A non-default listener rule. The default rule is the listener's <see cref="Listener.DefaultActions"/>.</summary>
public sealed record ListenerRule
{
    public required string Arn { get; init; }
    public required string ListenerArn { get; init; }
    /// <summary>1-50000; lower runs first.</summary>
    public required int Priority { get; init; }
    public ImmutableArray<RuleCondition> Conditions { get; init; } = [];
    public ImmutableArray<RuleAction> Actions { get; init; } = [];
    public ImmutableArray<Tag> Tags { get; init; } = [];
    /// <summary>Host-header and URL rewrites applied when the rule matches (at most two).</summary>
    public ImmutableArray<RuleTransform> Transforms { get; init; } = [];
}

/// <summary>A rewrite a rule applies to the request. <see cref="Type"/> is host-header-rewrite or url-rewrite.</summary>
public sealed record RuleTransform
{
    public required string Type { get; init; }
    public ImmutableArray<RewriteRule> Rewrites { get; init; } = [];
}

/// <summary>A regular expression and its replacement, which may refer to groups as $1, $2, ...</summary>
public sealed record RewriteRule(string Regex, string Replace);

public static class TransformTypes
{
    public const string HostHeaderRewrite = "host-header-rewrite";
    public const string UrlRewrite = "url-rewrite";
}
