using System.Collections.Immutable;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Api.Shapes;

/// <summary>The <c>TagDescription</c> shape of DescribeTags: a resource's ARN, as asked for, and its tags.</summary>
public static class TagDescriptionShape
{
    public static void Write(AwsXmlWriter w, (string ResourceArn, ImmutableArray<Tag> Tags) description)
    {
        w.Value("ResourceArn", description.ResourceArn);
        TagShape.WriteList(w, "Tags", description.Tags);
    }
}
