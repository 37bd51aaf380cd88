namespace Elbe.Model.Validation;

/// <summary>
/// A rejected resource. <see cref="Code"/> is the AWS error code the API answers with
/// (ValidationError, TooManyRules, PriorityInUse, ...). <see cref="ResourceArn"/> and <see cref="Path"/>
/// say where, when known: Path uses the API/CloudFormation property names, e.g.
/// <c>Conditions[0].PathPatternConfig.Values[1]</c>, so the template loader can map it back to a line.
/// </summary>
public sealed class ModelValidationException(string code, string message, string? resourceArn = null, string? path = null) : Exception(message)
{
    public string Code { get; } = code;
    public string? ResourceArn { get; } = resourceArn;
    public string? Path { get; } = path;
}
