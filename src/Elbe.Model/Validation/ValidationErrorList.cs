namespace Elbe.Model.Validation;

/// <summary>
/// Problems found so far. Validators keep going after a problem so a template loader can report all of them
/// at once; the API answers with the first.
/// </summary>
public sealed class ValidationErrorList
{
    private readonly List<ModelValidationException> _errors = [];

    public IReadOnlyList<ModelValidationException> Errors => _errors;

    public int Count => _errors.Count;

    public void Add(string code, string message, string? resourceArn, string? path) =>
        _errors.Add(new ModelValidationException(code, message, resourceArn, path));

    /// <summary>Throws the first problem, if any.</summary>
    public void ThrowIfAny()
    {
        if (_errors.Count > 0) throw _errors[0];
    }
}
