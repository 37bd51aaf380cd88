namespace Elbe.ControlPlane.Templates;

/// <summary>
/// Unwinds the resolution of one property when it cannot produce a value; the loader records the error
/// and goes on with the next property so one load reports as many problems as it can.
/// </summary>
internal sealed class TemplateFault(TemplateError error) : Exception(error.Message)
{
    public TemplateError Error { get; } = error;
}
