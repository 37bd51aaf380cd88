using Elbe.Model.Validation;

namespace Elbe.ControlPlane.State;

/// <summary>
/// A template import whose result, combined with what the API changed, does not validate (a listener port the API
/// already took, a rule left without its listener, ...). Nothing of the import is applied.
/// </summary>
public sealed class TemplateMergeException(IReadOnlyList<ModelValidationException> errors)
    : Exception("The template cannot be merged with the stored state:\n" + string.Join("\n", errors.Select(e => $"  {e.Code}: {e.Message}")))
{
    public IReadOnlyList<ModelValidationException> Errors { get; } = errors;
}
