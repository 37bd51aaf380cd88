namespace Elbe.ControlPlane.Templates;

/// <summary>A template refused as a whole. The message lists every error, one per line, editor-clickable.</summary>
public sealed class TemplateException(IReadOnlyList<TemplateError> errors)
    : Exception(string.Join(Environment.NewLine, errors.Select(e => e.ToString())))
{
    public IReadOnlyList<TemplateError> Errors { get; } = errors;
}
