using System.Collections.Immutable;
using System.Globalization;
using Elbe.ControlPlane.Api.Shapes;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Api.Actions;

/// <summary>AddTags, RemoveTags and DescribeTags on load balancers, target groups, listeners, rules and trust stores.</summary>
public static class TagActions
{
    public const int MaxDescribeTagsArns = 20;

    public static void Register(ApiActionTable table)
    {
        table.AddElbv2("AddTags", AddTagsAsync)
            .AddElbv2("RemoveTags", RemoveTagsAsync)
            .AddElbv2("DescribeTags", DescribeTagsAsync);
    }

    private static async Task<Action<AwsXmlWriter>?> AddTagsAsync(ApiCall call)
    {
        var arns = ResourceArns(call.Parameters);
        var tags = TagShape.ReadList(call.Parameters) ?? throw ApiException.Constraint("tags", null, "Member must not be null");
        // Every ARN is checked before anything changes: a refused call leaves all resources as they were.
        await call.Store.MutateAsync(config =>
        {
            foreach (var arn in arns) config = TaggedResource.WithTags(config, arn, existing => TagShape.Merge(existing, tags));
            return (config, true);
        });
        return null;
    }

    private static async Task<Action<AwsXmlWriter>?> RemoveTagsAsync(ApiCall call)
    {
        var arns = ResourceArns(call.Parameters);
        var keys = call.Parameters.GetList("TagKeys") ?? throw ApiException.Constraint("tagKeys", null, "Member must not be null");
        for (var i = 0; i < keys.Count; i++) TagShape.CheckKey(keys[i], $"tagKeys.{(i + 1).ToString(CultureInfo.InvariantCulture)}.member");
        var drop = new HashSet<string>(keys, StringComparer.Ordinal);
        await call.Store.MutateAsync(config =>
        {
            foreach (var arn in arns) config = TaggedResource.WithTags(config, arn, existing => TagShape.Remove(existing, drop));
            return (config, true);
        });
        return null;
    }

    private static Task<Action<AwsXmlWriter>?> DescribeTagsAsync(ApiCall call)
    {
        var arns = ResourceArns(call.Parameters);
        if (arns.Count > MaxDescribeTagsArns)
            throw ApiException.Constraint("resourceArns", "[" + string.Join(", ", arns) + "]", $"Member must have length less than or equal to {MaxDescribeTagsArns}");
        var config = call.Store.Current;
        var descriptions = new List<(string, ImmutableArray<Tag>)>(arns.Count);
        foreach (var arn in arns) descriptions.Add((arn, TaggedResource.TagsOf(config, arn)));
        return Task.FromResult<Action<AwsXmlWriter>?>(w => w.List("TagDescriptions", descriptions, TagDescriptionShape.Write));
    }

    private static List<string> ResourceArns(QueryParameters parameters) =>
        parameters.GetList("ResourceArns") ?? throw ApiException.Constraint("resourceArns", null, "Member must not be null");
}
