using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Elbe.ControlPlane.Templates;

/// <summary>Reading positions and plain values off YamlDotNet's representation model.</summary>
internal static class YamlNodes
{
    public static TemplateLocation Location(this YamlNode node) => At(node.Start);

    public static TemplateLocation At(Mark mark) => new((int)mark.Line, (int)mark.Column);

    /// <summary>An untagged plain null (<c>~</c>, <c>null</c> or nothing at all).</summary>
    public static bool IsNull(this YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } s && node.Tag.IsEmpty
        && (s.Value is null or "" or "~" or "null" or "Null" or "NULL");

    public static string? KeyText(this YamlNode key) => (key as YamlScalarNode)?.Value;
}
