namespace Elbe.ControlPlane.State;

/// <summary>
/// A template resource deleted through the API. Without it, re-importing the unchanged template (every restart)
/// would bring the resource back; with it, only a template edit of that resource does.
/// </summary>
internal sealed record TemplateTombstone(ResourceKind Kind, string TemplateHash);
