namespace Elbe.ControlPlane.Certificates;

/// <summary>
/// A certificate request ACM would refuse: <see cref="Code"/> is ACM's error type (ValidationException,
/// ResourceNotFoundException, ...), answered in ACM's JSON error shape by the API and thrown as is to C# callers.
/// </summary>
public sealed class AcmException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;

    public static AcmException Validation(string message) => new(AcmErrorCodes.ValidationException, message);

    /// <summary>
    /// ACM's ResourceNotFoundException: ImportCertificate says "Could not find certificate ARN."; the other
    /// operations name the account too ("... ARN in account ACCOUNT.").
    /// </summary>
    public static AcmException NotFound(string arn, string? accountId = null) => new(AcmErrorCodes.ResourceNotFoundException,
        accountId is null ? $"Could not find certificate {arn}." : $"Could not find certificate {arn} in account {accountId}.");
}

/// <summary>ACM's error types, spelled as its JSON protocol returns them in <c>__type</c>.</summary>
public static class AcmErrorCodes
{
    public const string ValidationException = "ValidationException";
    public const string ResourceNotFoundException = "ResourceNotFoundException";
    public const string ResourceInUseException = "ResourceInUseException";
    public const string InvalidArnException = "InvalidArnException";
    public const string InvalidParameterException = "InvalidParameterException";
    public const string InvalidTagException = "InvalidTagException";
    public const string TooManyTagsException = "TooManyTagsException";
    public const string TagPolicyException = "TagPolicyException";
    public const string LimitExceededException = "LimitExceededException";
}
