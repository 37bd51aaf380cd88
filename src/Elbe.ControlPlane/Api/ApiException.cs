namespace Elbe.ControlPlane.Api;

/// <summary>An error answered in AWS's query-API error format: the model's error code, a message and an HTTP status.</summary>
public sealed class ApiException(string code, string message, int statusCode = 400) : Exception(message)
{
    public string Code { get; } = code;
    public int StatusCode { get; } = statusCode;

    /// <summary>"Sender" for 4xx, "Receiver" for 5xx.</summary>
    public string Type => StatusCode >= 500 ? "Receiver" : "Sender";

    public static ApiException Validation(string message) => new("ValidationError", message);

    /// <summary>AWS's wording for a constraint failure on one member.</summary>
    public static ApiException Constraint(string member, string? value, string constraint) =>
        new("ValidationError", $"1 validation error detected: Value {(value is null ? "null" : $"'{value}'")} at '{member}' failed to satisfy constraint: {constraint}");
}
