namespace Elbe.Model.Validation;

/// <summary>
/// A rejected resource. <see cref="Code"/> is the AWS error code the API answers with
/// (ValidationError, TooManyRules, ...); <see cref="Path"/> names the offending property when known.
/// </summary>
public sealed class ModelValidationException(string code, string message, string? path = null) : Exception(message)
{
    public string Code { get; } = code;
    public string? Path { get; } = path;
}
