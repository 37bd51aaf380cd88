namespace Elbe.Api.Tests.Infrastructure;

/// <summary>
/// Ways to make one request differ from a well-signed one, for testing refusals: other credentials, clock, scope,
/// or changes made after signing (which the server must detect).
/// </summary>
public sealed record ApiRequestOverrides
{
    public string? AccessKeyId { get; init; }
    public string? SecretAccessKey { get; init; }
    public string? Region { get; init; }
    public string? Service { get; init; }
    /// <summary>The signing time; X-Amz-Date and the scope date follow it.</summary>
    public DateTimeOffset? Date { get; init; }
    public string? Version { get; init; }
    /// <summary>Sends no Authorization header at all.</summary>
    public bool Unsigned { get; init; }
    /// <summary>Replaces the form body after it was signed.</summary>
    public string? BodyAfterSigning { get; init; }
    /// <summary>Edits the HTTP request after signing, e.g. to change a signed header or the Authorization header.</summary>
    public Action<HttpRequestMessage>? AfterSigning { get; init; }
}
