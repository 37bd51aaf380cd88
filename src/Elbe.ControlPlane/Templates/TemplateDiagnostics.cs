namespace Elbe.ControlPlane.Templates;

/// <summary>Errors and warnings of one load. Errors are de-duplicated because a failed value is met again at every reference to it.</summary>
internal sealed class TemplateDiagnostics(string file)
{
    private readonly List<TemplateError> _errors = [];
    private readonly HashSet<TemplateError> _seen = [];

    public string File { get; } = file;
    public List<TemplateWarning> Warnings { get; } = [];
    public IReadOnlyList<TemplateError> Errors => _errors;

    public void Add(TemplateError error)
    {
        if (_seen.Add(error)) _errors.Add(error);
    }

    public TemplateError Error(TemplateLocation at, string? logicalId, string? path, string message) =>
        new(File, at.Line, at.Column, logicalId, path, message);

    public void Report(TemplateLocation at, string? logicalId, string? path, string message) => Add(Error(at, logicalId, path, message));

    public TemplateFault Fault(TemplateLocation at, string? logicalId, string? path, string message) => new(Error(at, logicalId, path, message));

    public void Warn(TemplateLocation at, string? logicalId, string message) => Warnings.Add(new TemplateWarning(File, at.Line, at.Column, logicalId, message));
}
