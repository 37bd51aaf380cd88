namespace Elbe.ControlPlane.Templates;

/// <summary>Something the loader ignored on purpose (a resource type Elbe does not run, an unsupported property).</summary>
public sealed record TemplateWarning(string File, int Line, int Column, string? LogicalId, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}
