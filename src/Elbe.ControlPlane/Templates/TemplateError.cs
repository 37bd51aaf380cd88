namespace Elbe.ControlPlane.Templates;

/// <summary>
/// One reason a template was refused. <see cref="PropertyPath"/> is the full path from the template root,
/// e.g. <c>Resources.MyRule.Properties.Conditions[0].PathPatternConfig.Values[1]</c>, or null when the
/// problem is the document itself (a YAML syntax error).
/// </summary>
public sealed record TemplateError(string File, int Line, int Column, string? LogicalId, string? PropertyPath, string Message)
{
    public override string ToString() =>
        PropertyPath is null ? $"{File}:{Line}:{Column}: {Message}" : $"{File}:{Line}:{Column}: {PropertyPath}: {Message}";
}
