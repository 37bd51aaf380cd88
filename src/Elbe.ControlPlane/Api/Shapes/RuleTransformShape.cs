using System.Collections.Immutable;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Api.Shapes;

/// <summary>The <c>RuleTransform</c> shape: Type plus HostHeaderRewriteConfig or UrlRewriteConfig, each a list of Rewrites.</summary>
public static class RuleTransformShape
{
    public const int MaxTransformsPerRule = 2;
    public const int MaxRewriteLength = 1024;

    public static ImmutableArray<RuleTransform>? ReadList(QueryParameters parameters, string member)
    {
        var items = parameters.GetStructList(member);
        if (items is null) return null;
        if (items.Count > MaxTransformsPerRule)
            throw ApiException.Constraint(parameters.MemberName(member), null, $"Member must have length less than or equal to {MaxTransformsPerRule}");
        var transforms = ImmutableArray.CreateBuilder<RuleTransform>(items.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var type = item.Require("Type");
            var configName = type switch
            {
                TransformTypes.HostHeaderRewrite => "HostHeaderRewriteConfig",
                TransformTypes.UrlRewrite => "UrlRewriteConfig",
                _ => throw ApiException.Constraint(item.MemberName("Type"), type, "Member must satisfy enum value set: [host-header-rewrite, url-rewrite]"),
            };
            if (!seen.Add(type)) throw ApiException.Validation($"A rule can have only one '{type}' transform");
            var config = item.GetStruct(configName) ?? throw ApiException.Validation($"A '{type}' transform needs {configName}");
            var rewrites = ImmutableArray.CreateBuilder<RewriteRule>();
            foreach (var r in config.GetStructList("Rewrites") ?? [])
            {
                var regex = r.Require("Regex");
                var replace = r.Require("Replace");
                if (regex.Length is 0 or > MaxRewriteLength || replace.Length > MaxRewriteLength)
                    throw ApiException.Validation($"Rewrite regex and replacement must be at most {MaxRewriteLength} characters, and the regex cannot be empty");
                if (!IsValidRegex(regex)) throw ApiException.Validation($"The rewrite regex '{regex}' is not a valid regular expression");
                rewrites.Add(new RewriteRule(regex, replace));
            }
            if (rewrites.Count != 1) throw ApiException.Validation($"A '{type}' transform must have exactly one rewrite");
            transforms.Add(new RuleTransform { Type = type, Rewrites = rewrites.ToImmutable() });
        }
        return transforms.MoveToImmutable();
    }

    public static void Write(AwsXmlWriter w, RuleTransform transform)
    {
        w.Value("Type", transform.Type);
        var configName = transform.Type == TransformTypes.HostHeaderRewrite ? "HostHeaderRewriteConfig" : "UrlRewriteConfig";
        w.Struct(configName, c => c.List("Rewrites", transform.Rewrites, (r, rule) => r.Value("Regex", rule.Regex).Value("Replace", rule.Replace)));
    }

    private static bool IsValidRegex(string pattern)
    {
        try
        {
            _ = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
